using RecurrentKif.Actors;
using RecurrentKif.Actors.Settings;

namespace RecurrentKif.Integration.Tests;

public sealed class OuterNanTests
{
    [Fact]
    public async Task ANonFiniteOuterLossIsRolledBackLikeAnInnerOneAndTheRunCarriesOn()
    {
        // Task 1 (the first with a memory) runs 2 outer steps every 2 inner steps: the 5th outer step is at step 6,
        // after the commit at step 4.
        using var run = new TinyRun();
        var result = run.Run(fault: "outer-nan:5");

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("outer step", result.Output);
        Assert.Contains("not finite", result.Output);
        Assert.Contains("Rolled back to the commit at step 4", result.Output);

        var state = await RunHost.ReadStateAsync(RunConfigurationLoader.Load(run.ConfigPath));
        Assert.Single(state.Rollbacks);
        Assert.Equal(3, state.Trained.Count);                // the retry trained the task to its end
        Assert.All(state.Commits.GetValueOrDefault(1) ?? [], c => Assert.True(double.IsFinite(c.Loss)));
    }
}

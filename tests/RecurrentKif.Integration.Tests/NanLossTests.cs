using RecurrentKif.Actors;
using RecurrentKif.Actors.Settings;

namespace RecurrentKif.Integration.Tests;

public sealed class NanLossTests
{
    [Fact]
    public async Task ANonFiniteLossIsRolledBackAndReportedNeverMerged()
    {
        // An absurd learning rate sends the weights to infinity within a few steps: the loss becomes NaN.
        using var run = new TinyRun("training { learning-rate = 1e30, warmup-steps = 0 }\ncheckpoints { commit-every = 1 }");
        var result = run.Run();
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("not finite", result.Output);
        Assert.Contains("Rolled back to the commit at step", result.Output);
        Assert.Contains("run the same command to resume", result.Output);

        var state = await RunHost.ReadStateAsync(RunConfigurationLoader.Load(run.ConfigPath));
        Assert.NotEmpty(state.Rollbacks);
        Assert.Empty(state.Trained);                         // nothing with a NaN was carried on
        Assert.All(state.Commits.GetValueOrDefault(0) ?? [], c => Assert.True(double.IsFinite(c.Loss)));
    }
}

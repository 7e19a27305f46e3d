using RecurrentKif.Actors;
using RecurrentKif.Actors.Settings;
using RecurrentKif.Gpu.Checkpoints;

namespace RecurrentKif.Integration.Tests;

/// <summary>
/// Kill `rkif run` with SIGKILL at chosen and random points, restart it with the same command each time, and require
/// the same final adapter, bit for bit, as an uninterrupted run, with every task trained and evaluated exactly once.
/// </summary>
public sealed class CrashResumeTests
{
    [Fact]
    public async Task KilledAndRestartedRunEndsBitIdenticalToAnUninterruptedOne()
    {
        using var reference = new TinyRun();
        var clean = reference.Run();
        Assert.True(clean.ExitCode == 0, clean.Output);
        string expected = AtomicFile.Sha256Of(reference.FinalAdapter);

        using var crashed = new TinyRun();
        // Inside a cycle, during a checkpoint write, between tasks (trained, not yet evaluated), inside the next task,
        // and once at a random moment from outside.
        var random = new Random(20261129);
        foreach (var fault in new[] { "step:5", "checkpoint-write:3", "after-task:1", "step:3" })
        {
            var killed = crashed.Run(fault);
            Assert.True(killed.ExitCode != 0, $"fault {fault} should have killed the run:\n{killed.Output}");
            Assert.Contains("RKIF_FAULT: killing the process", killed.Output);
        }
        // Best effort: if the rest of the run is shorter than the delay it simply finishes.
        crashed.Run(killAfter: TimeSpan.FromSeconds(3 + random.NextDouble() * 4));
        var final = crashed.Run();
        Assert.True(final.ExitCode == 0, final.Output);

        Assert.Equal(expected, AtomicFile.Sha256Of(crashed.FinalAdapter));
        var state = await RunHost.ReadStateAsync(RunConfigurationLoader.Load(crashed.ConfigPath));
        Assert.True(state.Finished);
        Assert.All(Enumerable.Range(0, 3), k =>
        {
            Assert.Equal(1, state.TrainedCount.GetValueOrDefault(k));
            Assert.Equal(1, state.EvaluatedCount.GetValueOrDefault(k));
        });
        var cleanState = await RunHost.ReadStateAsync(RunConfigurationLoader.Load(reference.ConfigPath));
        Assert.All(Enumerable.Range(0, 3), k => Assert.Equal(cleanState.Rows[k], state.Rows[k]));
    }
}

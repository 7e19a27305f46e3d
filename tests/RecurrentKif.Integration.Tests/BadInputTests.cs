using RecurrentKif.Actors;
using RecurrentKif.Actors.Settings;
using RecurrentKif.Gpu.Checkpoints;

namespace RecurrentKif.Integration.Tests;

/// <summary>Corrupt checkpoints, bad configuration and malformed task files: a clear error, and nothing committed is lost.</summary>
public sealed class BadInputTests
{
    [Fact]
    public async Task CorruptNewestCheckpointFallsBackToThePreviousCommitAndStillEndsIdentical()
    {
        using var reference = new TinyRun();
        Assert.Equal(0, reference.Run().ExitCode);

        using var run = new TinyRun();
        var killed = run.Run("step:7");                      // task 0 has commits at steps 2, 4, 6
        Assert.NotEqual(0, killed.ExitCode);
        var state = await RunHost.ReadStateAsync(RunConfigurationLoader.Load(run.ConfigPath));
        var newest = state.Commits[0][^1];
        Assert.Equal(6, newest.Step);
        var bytes = File.ReadAllBytes(newest.CheckpointPath);
        bytes[bytes.Length / 2] ^= 0xFF;                     // silent corruption: same size, wrong content
        File.WriteAllBytes(newest.CheckpointPath, bytes);

        var resumed = run.Run();
        Assert.True(resumed.ExitCode == 0, resumed.Output);
        Assert.Contains("is corrupt", resumed.Output);
        Assert.Contains("trying an older commit", resumed.Output);
        Assert.Contains("training from step 4", resumed.Output);
        Assert.Equal(AtomicFile.Sha256Of(reference.FinalAdapter), AtomicFile.Sha256Of(run.FinalAdapter));
    }

    [Fact]
    public async Task MissingCheckpointFallsBackToo()
    {
        using var run = new TinyRun();
        Assert.NotEqual(0, run.Run("step:7").ExitCode);
        var state = await RunHost.ReadStateAsync(RunConfigurationLoader.Load(run.ConfigPath));
        File.Delete(state.Commits[0][^1].CheckpointPath);
        var resumed = run.Run();
        Assert.True(resumed.ExitCode == 0, resumed.Output);
        Assert.Contains("is missing", resumed.Output);
    }

    [Fact]
    public void BadConfigurationIsRefusedWithFileAndKeyAndTouchesNothing()
    {
        using var run = new TinyRun("training { learning-rate = \"fast\" }");
        var result = run.Run();
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("rkif.training.learning-rate must be a number", result.Output);
        Assert.Contains(run.ConfigPath, result.Output);
        Assert.False(Directory.Exists(Path.Combine(run.Root, "data", "runs")), "a refused configuration must not start a run");

        using var unknown = new TinyRun("method = \"Magic\"");
        var refused = unknown.Run();
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("rkif.method must be one of", refused.Output);
    }

    [Fact]
    public async Task MalformedTaskFileStopsWithItsPathAndKeepsEveryCommit()
    {
        using var run = new TinyRun();
        Assert.NotEqual(0, run.Run("after-task:1").ExitCode);   // task 0 trained and journaled
        var before = await RunHost.ReadStateAsync(RunConfigurationLoader.Load(run.ConfigPath));
        Assert.True(before.Trained.ContainsKey(0));

        string topic = Path.Combine(run.Root, "data", "tasks", "builtin", "train", "topic.json");
        string good = File.ReadAllText(topic);
        File.WriteAllText(topic, good[..(good.Length / 2)]);       // truncated JSON
        var broken = run.Run();
        Assert.Equal(2, broken.ExitCode);
        Assert.Contains("topic.json", broken.Output);

        var after = await RunHost.ReadStateAsync(RunConfigurationLoader.Load(run.ConfigPath));
        Assert.True(after.Trained.ContainsKey(0), "the committed task must survive the failed start");
        Assert.Equal(before.Commits[0].Count, after.Commits[0].Count);

        File.WriteAllText(topic, good);
        var fixedRun = run.Run();
        Assert.True(fixedRun.ExitCode == 0, fixedRun.Output);
        var final = await RunHost.ReadStateAsync(RunConfigurationLoader.Load(run.ConfigPath));
        Assert.Equal(1, final.TrainedCount[0]);
    }
}

using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Training;

namespace RecurrentKif.Gpu.Tests.Continual;

public sealed class SettingsChecksTests
{
    private static readonly TaskExample[] Examples =
        Enumerable.Range(0, 8).Select(i => new TaskExample($"e{i}", "", $"input {i}", i % 2 == 0 ? "Good" : "Bad")).ToArray();

    private static TaskPlan Plan(bool fuse, int memory) =>
        new("sst-2", Examples, Examples.Take(memory).ToList(), Examples.Take(2).ToList(), fuse, TrackWholeTaskImportance: false, Seed: 1);

    private static ContinualSettings Settings(int warmup = 2, int evalEvery = 4) =>
        TinyTasks.Settings(ContinualMethod.RecurrentKif) with
        {
            Optimizer = new OptimizerSettings { LearningRate = 3e-3, WarmupSteps = warmup },
            EvalEvery = evalEvery,
        };

    [Fact]
    public void SoundSettingsGiveNoMessage()
    {
        Assert.Empty(SettingsChecks.For(Plan(fuse: true, memory: 2), Settings(), totalSteps: 8));
    }

    [Fact]
    public void AWarmUpAsLongAsTheTaskIsReported()
    {
        var messages = SettingsChecks.For(Plan(fuse: true, memory: 2), Settings(warmup: 8), totalSteps: 8);

        string message = Assert.Single(messages);
        Assert.Contains("sst-2", message);
        Assert.Contains("warm-up of 8 steps", message);
    }

    [Fact]
    public void NoValidationBeforeTheTaskEndsIsReported()
    {
        var messages = SettingsChecks.For(Plan(fuse: true, memory: 2), Settings(evalEvery: 40), totalSteps: 8);

        string message = Assert.Single(messages);
        Assert.Contains("validation every 40 steps", message);
    }

    [Fact]
    public void NoValidationIsNoProblemWhenSelectionIsOff()
    {
        var settings = Settings(evalEvery: 40) with { SelectBestByValidationLoss = false };
        Assert.Empty(SettingsChecks.For(Plan(fuse: true, memory: 2), settings, totalSteps: 8));
    }

    [Fact]
    public void AFusingTaskWithoutMemoryIsReported()
    {
        var messages = SettingsChecks.For(Plan(fuse: true, memory: 0), Settings(), totalSteps: 8);

        string message = Assert.Single(messages);
        Assert.Contains("replay memory is empty", message);
        Assert.Empty(SettingsChecks.For(Plan(fuse: false, memory: 0), Settings(), totalSteps: 8));
    }

    [Fact]
    public void EachProblemIsOneMessage()
    {
        var problems = SettingsChecks.For(Plan(fuse: true, memory: 0), Settings(warmup: 9, evalEvery: 9), totalSteps: 8);
        Assert.Equal(3, problems.Count);
    }

    [Fact]
    public void ThePlannerFusesFromTheSecondTaskOnWithAMemoryOfEveryLabel()
    {
        // 0.02 × 16 examples is 0 by the ratio; the floor keeps one per label, so task 1 still fuses.
        var tasks = new[] { TinyTasks.Load("sst-2"), TinyTasks.Load("cb") };
        var planner = new TaskPlanner(tasks, TinyTasks.Settings(ContinualMethod.RecurrentKif) with { MemoryRatio = 0.02 });

        TaskPlan first = planner.Plan(0), second = planner.Plan(1);

        Assert.False(first.Fuse);
        Assert.True(second.Fuse);
        Assert.Equal(tasks[0].Train.Select(e => e.Output).Distinct().Count(), second.Memory.Count);
        Assert.Empty(SettingsChecks.For(second, TinyTasks.Settings(ContinualMethod.RecurrentKif), totalSteps: 8));
    }
}

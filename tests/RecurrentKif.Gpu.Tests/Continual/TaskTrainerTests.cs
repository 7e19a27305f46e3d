using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Lora;
using RecurrentKif.Gpu.Runtime;
using RecurrentKif.Gpu.Tests.Models;
using RecurrentKif.Gpu.Tokenization;
using RecurrentKif.Gpu.Training;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Tests.Continual;

public sealed class TaskTrainerTests
{
    private static (TaskTrainingStats Stats, IReadOnlyList<Tensor> Theta) TrainOnce(ContinualSettings settings, bool fuse, int memorySize)
    {
        using var model = Stories260k.FromHfFolder();
        var tokenizer = TokenizerLoader.FromModelFolder(SharedFixtures.Stories260k);
        var task = TinyTasks.Load("sst-2");
        var memory = TinyTasks.Load("cb").Train.Take(memorySize).ToList();
        TorchRuntime.Seed(5);
        var adapter = LoraAdapter.Attach(model, settings.Lora);
        var trainer = new TaskTrainer(model, adapter, new ExampleEncoder(tokenizer, settings.FineTune.Cutoff), settings);
        var stats = trainer.Train(new TaskPlan("sst-2", task.Train, memory, task.Dev, fuse, false, Seed: 9));
        return (stats, adapter.CloneParameters());
    }

    private static bool SameWeights(IReadOnlyList<Tensor> a, IReadOnlyList<Tensor> b) => a.Zip(b).All(p => p.First.eq(p.Second).all().item<bool>());

    [Fact]
    public void WithAnEmptyMemoryRecurrentKifIsPlainLora()
    {
        var settings = TinyTasks.Settings(ContinualMethod.RecurrentKif) with { SelectBestByValidationLoss = false };
        var (kifStats, kif) = TrainOnce(settings, fuse: true, memorySize: 0);
        var (_, plain) = TrainOnce(settings, fuse: false, memorySize: 0);
        Assert.Equal(0, kifStats.Fusions);
        Assert.Equal(0, kifStats.OuterSteps);
        Assert.True(SameWeights(kif, plain), "no memory: no importance, no fusion, identical training");
    }

    [Fact]
    public void FusionHappensEveryQStepsWithFourOuterStepsEach()
    {
        // 16 examples, batch 4, 2 epochs → 8 steps; Q = 2 → 4 fusions, each after 2 outer steps.
        var settings = TinyTasks.Settings(ContinualMethod.RecurrentKif) with { SelectBestByValidationLoss = false };
        var (stats, kif) = TrainOnce(settings, fuse: true, memorySize: 4);
        Assert.Equal(8, stats.InnerSteps);
        Assert.Equal(4, stats.Fusions);
        Assert.Equal(8, stats.OuterSteps);
        Assert.All(stats.FusionShares, s => Assert.Equal(kif.Sum(t => t.numel()), s.Total));
        // Roughly the top 20 % of each side is key (fewer with ties at zero, never more than 20 % + 1).
        Assert.All(stats.FusionShares, s => Assert.True(s.InOnly + s.Both <= 0.2 * s.Total + 1 && s.InOnly + s.Both > 0));
        var (_, plain) = TrainOnce(settings, fuse: false, memorySize: 4);
        Assert.False(SameWeights(kif, plain), "fusion must change the trajectory");
    }

    [Fact]
    public void AStepsRemainderAfterTheLastMultipleOfQIsNotFused()
    {
        var settings = TinyTasks.Settings(ContinualMethod.RecurrentKif) with
        {
            SelectBestByValidationLoss = false,
            Kif = TinyTasks.Settings(ContinualMethod.RecurrentKif).Kif with { InnerSteps = 3 },
        };
        var (stats, _) = TrainOnce(settings, fuse: true, memorySize: 4);
        Assert.Equal(8, stats.InnerSteps);
        Assert.Equal(2, stats.Fusions); // at steps 3 and 6; steps 7–8 are not fused
    }

    [Fact]
    public void FrozenOuterModeOnlyMeasuresImportance()
    {
        var baseSettings = TinyTasks.Settings(ContinualMethod.RecurrentKif) with { SelectBestByValidationLoss = false };
        var frozen = baseSettings with { Kif = baseSettings.Kif with { OuterUpdate = OuterUpdateMode.Frozen } };
        var shared = baseSettings with { Kif = baseSettings.Kif with { OuterUpdate = OuterUpdateMode.SharedInnerAdam } };
        var separate = baseSettings with { Kif = baseSettings.Kif with { OuterUpdate = OuterUpdateMode.SeparateAdamW } };
        var (_, a) = TrainOnce(frozen, fuse: true, memorySize: 4);
        var (_, b) = TrainOnce(shared, fuse: true, memorySize: 4);
        var (_, c) = TrainOnce(separate, fuse: true, memorySize: 4);
        Assert.False(SameWeights(a, b));
        Assert.False(SameWeights(b, c));
    }

    [Fact]
    public void BestCheckpointByValidationLossIsTheFinalAdapter()
    {
        var settings = TinyTasks.Settings(ContinualMethod.SeqLora) with { EvalEvery = 2, Optimizer = new OptimizerSettings { LearningRate = 2e-2, WarmupSteps = 0 } };
        using var model = Stories260k.FromHfFolder();
        var tokenizer = TokenizerLoader.FromModelFolder(SharedFixtures.Stories260k);
        var task = TinyTasks.Load("sst-2");
        TorchRuntime.Seed(5);
        var adapter = LoraAdapter.Attach(model, settings.Lora);
        var encoder = new ExampleEncoder(tokenizer, settings.FineTune.Cutoff);
        var trainer = new TaskTrainer(model, adapter, encoder, settings);
        using var session = trainer.Start(new TaskPlan("sst-2", task.Train, [], task.Dev, false, false, Seed: 9));
        TaskTrainer.Continue(session);
        var stats = session.Finish();
        double finalLoss = session.ValidationLoss();
        Assert.NotNull(stats.BestValidationLoss);
        Assert.Equal(stats.BestValidationLoss!.Value, finalLoss, 4);
        Assert.True(stats.SelectedStep % settings.EvalEvery == 0 || stats.SelectedStep == stats.InnerSteps);
    }
}

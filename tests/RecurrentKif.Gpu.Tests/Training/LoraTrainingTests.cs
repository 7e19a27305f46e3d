using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Lora;
using RecurrentKif.Gpu.Runtime;
using RecurrentKif.Gpu.Tests.Models;
using RecurrentKif.Gpu.Tokenization;
using RecurrentKif.Gpu.Training;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Tests.Training;

public sealed class LoraTrainingTests
{
    private static readonly string Sst2Train = Path.Combine(SharedFixtures.LongSequence, "train", "sst-2.json");

    private static (IReadOnlyList<double> Losses, double LossBefore, double LossAfter, IReadOnlyList<Tensor> Theta) TrainOnSst2(int steps, long seed)
    {
        using var model = Stories260k.FromHfFolder();
        var tokenizer = TokenizerLoader.FromModelFolder(SharedFixtures.Stories260k);
        var examples = TaskFileReader.Read(Sst2Train).Take(64).ToList();
        var encoder = new ExampleEncoder(tokenizer, cutoff: 512);
        TorchRuntime.Seed(seed);
        var adapter = LoraAdapter.Attach(model, new LoraSettings());
        var settings = new ContinualSettings
        {
            Method = ContinualMethod.SeqLora,
            FineTune = new FineTuneSettings { Epochs = 100, MaxSteps = steps, BatchSize = 8, MicroBatchSize = 4, Seed = seed },
            Optimizer = new OptimizerSettings { LearningRate = 3e-3, WarmupSteps = 5 },
            SelectBestByValidationLoss = false,
        };
        var trainer = new TaskTrainer(model, adapter, encoder, settings);
        using var session = trainer.Start(new TaskPlan("sst-2", examples, [], [], Fuse: false, TrackWholeTaskImportance: false, seed));
        var encoded = examples.Select(encoder.EncodeForTraining).ToList();
        double before = session.ValidationLoss(encoded);
        TaskTrainer.Continue(session);
        var stats = session.Finish();
        return (stats.Losses, before, session.ValidationLoss(encoded), adapter.CloneParameters());
    }

    [Fact]
    public void FiftyLoraStepsOnSst2LowerTheLossClearly()
    {
        var (losses, before, after, _) = TrainOnSst2(steps: 50, seed: 42);
        Assert.Equal(50, losses.Count);
        Assert.True(after < 0.5 * before, $"mean label loss on the 64 examples went from {before:F3} to {after:F3}; expected at least a halving");
        double firstFive = losses.Take(5).Average(), lastFive = losses.TakeLast(5).Average();
        Assert.True(lastFive < 0.5 * firstFive, $"training loss {firstFive:F3} (first 5 steps) -> {lastFive:F3} (last 5)");
    }

    [Fact]
    public void TrainingIsDeterministicForASeedOnCpu()
    {
        var (_, _, _, first) = TrainOnSst2(steps: 6, seed: 7);
        var (_, _, _, second) = TrainOnSst2(steps: 6, seed: 7);
        var (_, _, _, other) = TrainOnSst2(steps: 6, seed: 8);
        Assert.All(first.Zip(second), pair => Assert.True(pair.First.eq(pair.Second).all().item<bool>(), "same seed must give bit-identical LoRA weights"));
        Assert.Contains(first.Zip(other), pair => !pair.First.eq(pair.Second).all().item<bool>());
    }

    [Fact]
    public void FirstStepRunsAtLearningRateZeroAndStepsCountTokens()
    {
        using var model = Stories260k.FromHfFolder();
        var tokenizer = TokenizerLoader.FromModelFolder(SharedFixtures.Stories260k);
        var encoder = new ExampleEncoder(tokenizer);
        var adapter = LoraAdapter.Attach(model, new LoraSettings());
        using var optimizer = new LoraOptimizer(model, adapter, new OptimizerSettings { WarmupSteps = 5 }, totalSteps: 10);
        var examples = TaskFileReader.Read(Sst2Train).Take(4).Select(encoder.EncodeForTraining).ToList();
        using var batch = BatchCollator.Collate(examples, tokenizer.PadId, CPU);
        var first = optimizer.Step([batch]);
        var second = optimizer.Step([batch]);
        Assert.Equal(0.0, first.LearningRate); // HF schedule: the first step runs at lr(0) = 0
        Assert.Equal(3e-4 / 5, second.LearningRate, 12);
        Assert.True(first.LabelTokens > 0 && first.Tokens > first.LabelTokens);
    }

    [Fact]
    public void ScheduleWarmsUpThenDecaysLinearlyToZero()
    {
        var schedule = new LinearWarmupSchedule(3e-4, warmupSteps: 50, totalSteps: 150);
        Assert.Equal(0.0, schedule.LearningRateAt(0));
        Assert.Equal(3e-4 * 10 / 50, schedule.LearningRateAt(10), 12);
        Assert.Equal(3e-4, schedule.LearningRateAt(50), 12);
        Assert.Equal(3e-4 * 50 / 100, schedule.LearningRateAt(100), 12);
        Assert.Equal(0.0, schedule.LearningRateAt(150));
        Assert.Equal(0.0, schedule.LearningRateAt(170));
    }

    [Fact]
    public void StepsPerEpochFollowHuggingFaceCounting()
    {
        // docs/algorithm.md §4.2: LLaMA 1 000 examples, micro 16 × accum 4 → 15 steps/epoch, 150 per task; CB 250 → 40.
        var llama = new FineTuneSettings { BatchSize = 64, MicroBatchSize = 16, Epochs = 10 };
        Assert.Equal(15, llama.StepsPerEpoch(1000));
        Assert.Equal(150, llama.TotalSteps(1000));
        Assert.Equal(40, llama.TotalSteps(250));
        var t5 = new FineTuneSettings { BatchSize = 8, MicroBatchSize = 2, Epochs = 10 };
        Assert.Equal(1250, t5.TotalSteps(1000));
    }

    [Fact]
    public void GradientsAreClippedToTheGlobalNorm()
    {
        using var model = Stories260k.FromHfFolder();
        var tokenizer = TokenizerLoader.FromModelFolder(SharedFixtures.Stories260k);
        var encoder = new ExampleEncoder(tokenizer);
        var examples = TaskFileReader.Read(Sst2Train).Take(4).ToList();
        var adapter = LoraAdapter.Attach(model, new LoraSettings { Dropout = 0 });
        using (no_grad()) foreach (var p in adapter.Parameters) p.normal_(0, 0.5); // large weights → large gradients
        using var optimizer = new LoraOptimizer(model, adapter, new OptimizerSettings { MaxGradNorm = 0.25 }, totalSteps: 10);
        using var batch = BatchCollator.Collate(examples.Select(encoder.EncodeForTraining).ToList(), tokenizer.PadId, CPU);
        optimizer.AccumulateGradients([batch]);
        double before = optimizer.ClipGradients();
        double after = Math.Sqrt(adapter.Parameters.Sum(p => Math.Pow(p.grad!.norm().item<float>(), 2)));
        Assert.True(before > 0.25, $"test needs a gradient norm above the limit, got {before}");
        Assert.Equal(0.25, after, 3);
    }

    [Fact]
    public void NonFiniteLossLeavesTheWeightsUntouched()
    {
        using var model = Stories260k.FromHfFolder();
        var tokenizer = TokenizerLoader.FromModelFolder(SharedFixtures.Stories260k);
        var encoder = new ExampleEncoder(tokenizer);
        var adapter = LoraAdapter.Attach(model, new LoraSettings());
        using (no_grad()) adapter.Pairs[0].B.fill_(float.NaN);
        var before = adapter.CloneParameters();
        using var optimizer = new LoraOptimizer(model, adapter, new OptimizerSettings { WarmupSteps = 0 }, totalSteps: 10);
        using var batch = BatchCollator.Collate([encoder.EncodeForTraining(TaskFileReader.Read(Sst2Train)[0])], tokenizer.PadId, CPU);
        var e = Assert.Throws<NonFiniteLossException>(() => optimizer.Step([batch]));
        Assert.Contains("not finite", e.Message);
        Assert.Equal(0, optimizer.StepsTaken);
        var after = adapter.CloneParameters();
        Assert.All(before.Zip(after).Skip(2), pair => Assert.True(pair.First.eq(pair.Second).all().item<bool>()));
    }
}

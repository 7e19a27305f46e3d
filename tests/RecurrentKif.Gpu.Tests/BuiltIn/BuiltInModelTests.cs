using System.Text.Json;
using RecurrentKif.Gpu.BuiltIn;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Evaluation;
using RecurrentKif.Gpu.Lora;
using RecurrentKif.Gpu.Models;
using RecurrentKif.Gpu.Runtime;
using RecurrentKif.Gpu.Tests.Data;
using RecurrentKif.Gpu.Tests.Pretraining;
using RecurrentKif.Gpu.Tokenization;
using RecurrentKif.Gpu.Training;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Tests.BuiltIn;

/// <summary>The built-in model the repository carries: current, rebuildable from its recorded command, and able to learn.</summary>
public sealed class BuiltInModelTests
{
    [Fact]
    public void TheShippedWeightsAreThisVersionsModel()
    {
        // Fails when the built-in vocabulary changed without `rkif pretrain --out models/builtin-llama` being rerun.
        Assert.True(BuiltInModel.IsCurrent(BuiltInModel.ShippedFolder),
            $"{BuiltInModel.ShippedFolder} is missing or was built for another vocabulary; rebuild it with the command in its provenance.json");
    }

    [Fact]
    public void RebuildingReproducesTheRecordedFirstSteps()
    {
        var (settings, recorded, _) = RecordedPretraining.Read(BuiltInModel.ShippedFolder, stopAfter: 3);
        Assert.Equal(settings.Steps, recorded.Length);

        using var temp = new TempDirectory();
        string folder = Path.Combine(temp.Path, "rebuilt");
        Directory.CreateDirectory(folder);
        BuiltInModel.Create(folder, settings);
        using var rebuilt = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "provenance.json")));
        double[] replayed = rebuilt.RootElement.GetProperty("losses").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(3, replayed.Length);
        // Same data, seed and schedule; only libtorch's thread count may differ (summation order), hence the tolerance.
        for (int i = 0; i < replayed.Length; i++) Assert.InRange(replayed[i], recorded[i] - 1e-3, recorded[i] + 1e-3);
        Assert.Equal(File.ReadAllBytes(Path.Combine(BuiltInModel.ShippedFolder, "tokenizer.bin")), File.ReadAllBytes(Path.Combine(folder, "tokenizer.bin")));
    }

    [Fact]
    public void ABuiltInTaskIsLearned()
    {
        string folder = BuiltInModel.ShippedFolder;
        var tokenizer = TokenizerLoader.FromModelFolder(folder);
        using var model = ModelLoader.LoadFolder(folder, ScalarType.Float32, CPU);
        var splits = BuiltInTaskGenerator.Generate("review", 2025, 200, 0, 100);
        // hocon/local.conf's training settings, 8 epochs instead of 12 to fit the test budget.
        var fineTune = new FineTuneSettings { Epochs = 8, BatchSize = 16, MicroBatchSize = 16, Seed = 42, PromptTemplate = PromptTemplate.Plain };
        var settings = new ContinualSettings
        {
            Method = ContinualMethod.SeqLora, FineTune = fineTune,
            Optimizer = new OptimizerSettings { LearningRate = 1e-2, WarmupSteps = 5 }, SelectBestByValidationLoss = false,
        };
        TorchRuntime.Seed(42);
        var adapter = model.AttachLora(settings.Lora);
        var encoder = model.CreateEncoder(tokenizer, fineTune);
        var evaluator = new GenerationEvaluator(model, tokenizer, encoder);
        double before = GenerationEvaluator.Accuracy(evaluator.Predict(splits.Test));

        var plan = new TaskPlan("review", splits.Train, Memory: [], Validation: [], Fuse: false, TrackWholeTaskImportance: false, 42);
        var stats = new TaskTrainer(model, adapter, encoder, settings).Train(plan);
        double after = GenerationEvaluator.Accuracy(evaluator.Predict(splits.Test));

        Assert.Equal(104, stats.InnerSteps);
        Assert.True(before < 0.6, $"untrained accuracy {before:P0}: the pretrained model should not know the task");
        Assert.True(after >= 0.9, $"review test accuracy after {stats.InnerSteps} steps: {after:P0} (needs >= 90 %)");
    }
}

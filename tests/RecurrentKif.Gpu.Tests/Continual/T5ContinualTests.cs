using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Models;
using RecurrentKif.Gpu.Models.T5;
using RecurrentKif.Gpu.Runtime;
using RecurrentKif.Gpu.Training;
using RecurrentKif.Gpu.Tests.Data;
using RecurrentKif.Gpu.Tests.Models.T5;
using RecurrentKif.Gpu.Tests.Tokenization;
using RecurrentKif.Gpu.Tokenization;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Tests.Continual;

/// <summary>The whole algorithm on an encoder-decoder: the same ContinualTrainer, a tiny random T5, real task records.</summary>
public sealed class T5ContinualTests
{
    [Fact]
    public void Recurrent_kif_runs_unchanged_on_a_tiny_t5()
    {
        using var dir = new TempDirectory();
        WriteTinyT5WithTokenizer(dir.Path);

        using var model = ModelLoader.LoadFolder(dir.Path, ScalarType.Float32, CPU);
        var tokenizer = TokenizerLoader.FromModelFolder(dir.Path);
        Assert.IsType<T5ForConditionalGeneration>(model);
        Assert.Equal(CharacterT5Spiece.PieceCount, tokenizer.VocabSize);

        ContinualTask[] tasks = [TinyTasks.Load("sst-2", train: 8, eval: 4), TinyTasks.Load("cb", train: 8, eval: 4)];
        var result = new ContinualTrainer(model, tokenizer, TinyTasks.Settings(ContinualMethod.RecurrentKif)).Run(tasks);

        Assert.True(result.Accuracy.IsComplete());
        Assert.Equal(0, result.Tasks[0].Fusions);                 // no memory before the first task
        Assert.True(result.Tasks[1].Fusions > 0);                 // cycles with replay, identification and fusion
        Assert.True(result.Tasks[1].OuterSteps > 0);
        Assert.All(result.Tasks, t => Assert.All(t.Losses, l => Assert.True(double.IsFinite(l))));
        var lora = model.Module.named_parameters().Where(p => p.name.Contains(".lora_B.", StringComparison.Ordinal)).ToList();
        Assert.Equal(2 * 2 + 2 * 2 * 2, lora.Count);               // q and v of encoder self, decoder self and cross attention
        Assert.Contains(lora, p => p.parameter.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void Lora_training_through_the_t5_data_path_lowers_the_loss_of_what_it_trains_on()
    {
        using var dir = new TempDirectory();
        WriteTinyT5WithTokenizer(dir.Path);
        using var model = ModelLoader.LoadFolder(dir.Path, ScalarType.Float32, CPU);
        var tokenizer = TokenizerLoader.FromModelFolder(dir.Path);
        var settings = TinyTasks.Settings(ContinualMethod.SeqLora) with
        {
            FineTune = new FineTuneSettings { Epochs = 12, BatchSize = 4, MicroBatchSize = 2, Cutoff = 128, Seed = 5 },
            Optimizer = new OptimizerSettings { LearningRate = 1e-2, WarmupSteps = 0 },
            SelectBestByValidationLoss = false,
        };
        TorchRuntime.Seed(5);
        var adapter = model.AttachLora(settings.Lora);
        var encoder = model.CreateEncoder(tokenizer, settings.FineTune);
        var examples = TinyTasks.Load("sst-2", train: 4, eval: 1).Train;
        using var session = new TaskTrainer(model, adapter, encoder, settings).Start(new TaskPlan("sst-2", examples, [], [], Fuse: false, TrackWholeTaskImportance: false, Seed: 5));
        var encoded = examples.Select(encoder.EncodeForTraining).ToList();
        double before = session.ValidationLoss(encoded);
        TaskTrainer.Continue(session);
        double after = session.ValidationLoss(encoded);
        Assert.True(after < before * 0.8, $"loss {before:F3} -> {after:F3}");
    }

    private static void WriteTinyT5WithTokenizer(string folder)
    {
        var spec = new TinyT5Spec { Vocab = CharacterT5Spiece.PieceCount + 6, DModel = 32, DKv = 8, Heads = 4, DFf = 48, EncoderLayers = 2, DecoderLayers = 2, FeedForward = "gated-gelu", Tied = false };
        foreach (var t in TinyT5.Write(folder, spec).Values) t.Dispose();
        CharacterT5Spiece.WriteInto(folder);
    }
}

using System.Diagnostics;
using System.Text.Json;
using RecurrentKif.Gpu.Models;
using RecurrentKif.Gpu.Tokenization;
using RecurrentKif.Gpu.Training;

namespace RecurrentKif.Gpu.Pretraining;

/// <summary>
/// A small LLaMA for the standard and long-sequence benchmarks, made by the project: a byte-pair tokenizer and a
/// 6-layer model (about 5.4 M parameters), both learnt from scratch on the benchmark's unlabelled training text
/// (<see cref="BenchmarkCorpus"/>). It is a stand-in that makes the method measurable on CPU, not a replacement for
/// T5-large or LLaMA (docs/benchmark.md). The repository ships one (models/benchmark-llama, with provenance.json);
/// <c>rkif pretrain --data &lt;benchmark folder&gt;</c> rebuilds it.
/// </summary>
public static class BenchmarkModel
{
    /// <summary>What <c>--model</c> names it by.</summary>
    public const string Alias = "benchmark";

    public const int DefaultVocabularySize = 7168;

    /// <summary>The settings the shipped weights were built with (<c>rkif pretrain --data</c>'s defaults).</summary>
    public static PretrainSettings DefaultSettings { get; } = new()
    {
        Steps = 1000, BatchSize = 16, BlockLength = 256, LearningRate = 2e-3, WarmupSteps = 50, Seed = 1234,
    };

    public static LlamaConfig Config(int vocabularySize) => new()
    {
        VocabSize = vocabularySize,
        HiddenSize = 256,
        IntermediateSize = 688,
        NumHiddenLayers = 6,
        NumAttentionHeads = 8,
        NumKeyValueHeads = 4,
        HeadDim = 32,
        MaxPositionEmbeddings = 1024,
        RmsNormEps = 1e-5,
        RopeTheta = 10000.0,
        TieWordEmbeddings = true,
    };

    /// <summary>The weights the repository carries, copied next to the program at build time.</summary>
    public static string ShippedFolder => Path.Combine(AppContext.BaseDirectory, "models", "benchmark-llama");

    /// <summary>The shipped folder, or a clear error saying how to build one when this build has none.</summary>
    public static string ResolveShipped()
    {
        if (File.Exists(Path.Combine(ShippedFolder, "provenance.json"))) return ShippedFolder;
        throw new ModelLoadException(
            $"The benchmark model is not in this build ({ShippedFolder}). Build it from the benchmark's training files with " +
            "`rkif pretrain --data <long-sequence folder> --out <folder>` and pass --model <folder>.");
    }

    /// <summary>Pretrains tokenizer and model into <paramref name="folder"/> (replacing it), through a staging folder.</summary>
    public static void Build(string folder, string dataFolder, PretrainSettings settings, int vocabularySize = DefaultVocabularySize,
        Action<TrainingProgress>? progress = null)
    {
        settings.Validate(Config(vocabularySize).MaxPositionEmbeddings);
        var corpus = BenchmarkCorpus.Read(dataFolder);
        StagedModelFolder.Write(folder, staging => Create(staging, corpus, settings, vocabularySize, progress));
    }

    public static void Create(string folder, BenchmarkCorpus corpus, PretrainSettings settings, int vocabularySize,
        Action<TrainingProgress>? progress = null)
    {
        var clock = Stopwatch.StartNew();
        string tokenizerPath = Path.Combine(folder, "tokenizer.bin");
        File.WriteAllBytes(tokenizerPath, BpeVocabularyTrainer.TrainFile(corpus.Documents, vocabularySize));
        var tokenizer = Llama2cTokenizer.Load(tokenizerPath);
        double tokenizerSeconds = clock.Elapsed.TotalSeconds;

        long[] stream = TokenStream(tokenizer, corpus.Documents);
        var config = Config(tokenizer.VocabSize);
        using var model = CausalLmPretrainer.NewModel(config, settings);
        var losses = CausalLmPretrainer.Train(model, stream, settings, "pretrain benchmark model", progress);
        LlamaLoader.SaveFolder(model, folder);
        var provenance = new
        {
            description = "RecurrentKif benchmark model: byte-pair tokenizer and LLaMA pretrained from scratch by RecurrentKif " +
                          "on the input fields of the benchmark's train split only (no dev or test text, no instructions, no labels)",
            parameters = model.parameters().Sum(p => p.numel()),
            vocabularySize = tokenizer.VocabSize,
            trainingFiles = corpus.Files,
            documents = corpus.Documents.Count,
            streamTokens = stream.LongLength,
            epochsOverStream = (double)settings.Steps * settings.BatchSize * settings.BlockLength / stream.LongLength,
            settings.Steps, settings.BatchSize, settings.BlockLength, settings.LearningRate, settings.Seed, settings.WarmupSteps,
            finalTrainingLoss = losses[^1],
            tokenizerSeconds,
            seconds = clock.Elapsed.TotalSeconds,
            command = $"rkif pretrain --data <long-sequence folder> --out <folder> --vocab-size {vocabularySize} {settings.CommandFlags()}",
            // Every step's loss: a rebuild's first steps must reproduce these (the benchmark model test checks it).
            losses,
        };
        File.WriteAllText(Path.Combine(folder, "provenance.json"), JsonSerializer.Serialize(provenance, new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>Every document as BOS text EOS, concatenated in corpus order (training windows are drawn at random offsets).</summary>
    public static long[] TokenStream(ITextTokenizer tokenizer, IReadOnlyList<string> documents)
    {
        var stream = new List<long>();
        foreach (string text in documents)
        {
            stream.AddRange(tokenizer.Encode(text, addBos: true).Select(i => (long)i));
            stream.Add(tokenizer.EosId);
        }
        return stream.ToArray();
    }
}

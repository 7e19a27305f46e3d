using System.Diagnostics;
using System.Text.Json;
using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Pretraining;
using RecurrentKif.Gpu.Models;
using RecurrentKif.Gpu.Tokenization;
using RecurrentKif.Gpu.Training;
using Serilog;

namespace RecurrentKif.Gpu.BuiltIn;

/// <summary>
/// The embedded default model, made by the project itself so RecurrentKif runs with no downloaded weights:
/// a 4-layer word-level LLaMA (GQA, SwiGLU, tied head; one token per word of the built-in tasks, see
/// <see cref="WordTokenizerFile"/>) pretrained from scratch on text from <see cref="BuiltInTaskGenerator.PretrainingCorpus"/>
/// (unlabelled sentences of the built-in tasks' vocabulary).
/// It is written once as an ordinary HF folder (config.json, model.safetensors, tokenizer.bin, provenance.json)
/// and reused; deleting the folder rebuilds it. Deterministic for a seed on CPU.
/// </summary>
public static class BuiltInModel
{
    /// <summary>The words the tokenizer keeps whole: those of every built-in task and of the Alpaca template.</summary>
    public static IReadOnlyList<string> Words => LazyWords.Value;

    private static readonly Lazy<IReadOnlyList<string>> LazyWords = new(() => WordTokenizerFile.WordsOf(
        BuiltInTaskGenerator.VocabularyText().Append(AlpacaPrompt.Build("instruction", "input")).Append(AlpacaPrompt.Build("instruction", ""))));

    /// <summary>This version's tokenizer.bin: what Create writes and what IsCurrent compares a model folder against.</summary>
    private static readonly Lazy<byte[]> TokenizerBytes = new(() => WordTokenizerFile.Bytes(Words));

    public static LlamaConfig Config => LazyConfig.Value;

    private static readonly Lazy<LlamaConfig> LazyConfig = new(() => new LlamaConfig
    {
        VocabSize = WordTokenizerFile.Pieces(Words).Count,
        HiddenSize = 128,
        IntermediateSize = 344,
        NumHiddenLayers = 4,
        NumAttentionHeads = 4,
        NumKeyValueHeads = 2,
        HeadDim = 32,
        MaxPositionEmbeddings = 512,
        RmsNormEps = 1e-5,
        RopeTheta = 10000.0,
        TieWordEmbeddings = true,
    });

    /// <summary>The settings the shipped weights were built with (<c>rkif pretrain</c>'s defaults for this model).</summary>
    public static PretrainSettings DefaultSettings { get; } = new();

    /// <summary>
    /// The weights the repository carries (models/builtin-llama, built by <c>rkif pretrain</c> with the default settings and
    /// copied next to the program), so the main job does not spend minutes pretraining; see its provenance.json.
    /// </summary>
    public static string ShippedFolder => Path.Combine(AppContext.BaseDirectory, "models", "builtin-llama");

    /// <summary>
    /// Returns the built-in model folder under <paramref name="dataRoot"/>. When it is missing, or was built for another
    /// vocabulary (an older RecurrentKif's model), it is replaced: by the shipped weights when they match this version's
    /// vocabulary and no custom <paramref name="settings"/> are asked for, otherwise by pretraining here.
    /// </summary>
    public static string EnsureCreated(string dataRoot, PretrainSettings? settings = null, Action<TrainingProgress>? progress = null)
    {
        string folder = Path.Combine(dataRoot, "models", "builtin-llama");
        if (IsCurrent(folder)) return folder;
        if (Directory.Exists(folder))
            Log.Warning("Built-in model {Folder} was made for another vocabulary (an older version); replacing it", folder);
        if (settings is null && IsCurrent(ShippedFolder))
        {
            CopyShipped(folder);
            return folder;
        }
        if (settings is null)
            Log.Warning("The shipped built-in model is missing or stale ({Folder}); pretraining one here (a few minutes on 2 cores)", ShippedFolder);
        Build(folder, settings ?? DefaultSettings, progress);
        return folder;
    }

    /// <summary>A complete built-in model folder (provenance.json written last) whose tokenizer is this version's.</summary>
    public static bool IsCurrent(string folder) =>
        File.Exists(Path.Combine(folder, "provenance.json"))
        && File.ReadAllBytes(Path.Combine(folder, "tokenizer.bin")).AsSpan().SequenceEqual(TokenizerBytes.Value);

    // provenance.json last: a copy cut short is never taken as complete.
    private static void CopyShipped(string folder) => StagedModelFolder.Write(folder, staging =>
    {
        foreach (string name in new[] { "config.json", "model.safetensors", "tokenizer.bin", "provenance.json" })
            File.Copy(Path.Combine(ShippedFolder, name), Path.Combine(staging, name));
    });

    /// <summary>Pretrains the built-in model into <paramref name="folder"/> (replacing it), through a staging folder.</summary>
    public static void Build(string folder, PretrainSettings settings, Action<TrainingProgress>? progress = null) =>
        StagedModelFolder.Write(folder, staging => Create(staging, settings, progress));

    public static void Create(string folder, PretrainSettings settings, Action<TrainingProgress>? progress = null)
    {
        settings.Validate(Config.MaxPositionEmbeddings);
        File.WriteAllBytes(Path.Combine(folder, "tokenizer.bin"), TokenizerBytes.Value);
        var tokenizer = Llama2cTokenizer.Load(Path.Combine(folder, "tokenizer.bin"));
        using var model = CausalLmPretrainer.NewModel(Config, settings);
        var clock = Stopwatch.StartNew();
        var losses = CausalLmPretrainer.Train(model, TokenStream(tokenizer, settings), settings, "pretrain built-in model", progress);
        LlamaLoader.SaveFolder(model, folder);
        var provenance = new
        {
            description = "RecurrentKif built-in model: word-level LLaMA pretrained from scratch by RecurrentKif on its own generated corpus",
            parameters = model.parameters().Sum(p => p.numel()),
            settings.Steps, settings.BatchSize, settings.BlockLength, settings.LearningRate, settings.Seed,
            settings.WarmupSteps,
            finalTrainingLoss = losses[^1],
            seconds = clock.Elapsed.TotalSeconds,
            vocabularySize = Config.VocabSize,
            command = $"rkif pretrain --out <folder> {settings.CommandFlags()}",
            // Every step's loss: a rebuild's first steps must reproduce these (the pretraining test checks it).
            losses,
        };
        File.WriteAllText(Path.Combine(folder, "provenance.json"), JsonSerializer.Serialize(provenance, new JsonSerializerOptions { WriteIndented = true }));
    }

    // Sentences framed as documents (BOS text EOS) and concatenated into one stream, nanoGPT-style.
    private static long[] TokenStream(ITextTokenizer tokenizer, PretrainSettings settings)
    {
        int needed = settings.Steps * settings.BatchSize * settings.BlockLength / 8 + settings.BlockLength * 4;
        var stream = new List<long>(needed + 512);
        foreach (string text in BuiltInTaskGenerator.PretrainingCorpus((int)settings.Seed, int.MaxValue))
        {
            stream.AddRange(tokenizer.Encode(text, addBos: true).Select(i => (long)i));
            stream.Add(tokenizer.EosId);
            if (stream.Count >= needed) break;
        }
        return stream.ToArray();
    }
}

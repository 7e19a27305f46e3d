using System.Diagnostics;
using System.Text.Json;
using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Models;
using RecurrentKif.Gpu.Runtime;
using RecurrentKif.Gpu.Tokenization;
using RecurrentKif.Gpu.Training;
using TorchSharp;
using static TorchSharp.torch;

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

    public sealed record PretrainSettings
    {
        public int Steps { get; init; } = 200;
        public int BatchSize { get; init; } = 16;
        public int BlockLength { get; init; } = 128;
        public double LearningRate { get; init; } = 3e-3;
        public int WarmupSteps { get; init; } = 20;
        public long Seed { get; init; } = 1234;
    }

    /// <summary>Returns the built-in model folder under <paramref name="dataRoot"/>, pretraining it first if it is not there.</summary>
    public static string EnsureCreated(string dataRoot, PretrainSettings? settings = null, Action<TrainingProgress>? progress = null)
    {
        string folder = Path.Combine(dataRoot, "models", "builtin-llama");
        if (File.Exists(Path.Combine(folder, "provenance.json"))) return folder;
        string staging = folder + ".partial";
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(staging);
        Create(staging, settings ?? new PretrainSettings(), progress);
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.Move(staging, folder); // provenance.json is written last, so a half-built folder is never taken as done
        return folder;
    }

    public static void Create(string folder, PretrainSettings settings, Action<TrainingProgress>? progress = null)
    {
        WordTokenizerFile.Write(Path.Combine(folder, "tokenizer.bin"), Words);
        var tokenizer = Llama2cTokenizer.Load(Path.Combine(folder, "tokenizer.bin"));
        TorchRuntime.Seed(settings.Seed);
        using var model = new LlamaForCausalLM(Config, ScalarType.Float32, CPU);
        LlamaInitializer.InitializeRandom(model);
        foreach (var p in model.parameters()) p.requires_grad = true;

        var stream = TokenStream(tokenizer, settings);
        var parameters = model.parameters().ToList();
        using var optimizer = optim.AdamW(parameters, settings.LearningRate, 0.9, 0.95, 1e-8, 0.01);
        var schedule = new LinearWarmupSchedule(settings.LearningRate, settings.WarmupSteps, settings.Steps);
        var rng = new SeededRandom(settings.Seed);
        var clock = Stopwatch.StartNew();
        double loss = double.NaN;
        model.train();
        for (int step = 0; step < settings.Steps; step++)
        {
            using var scope = NewDisposeScope();
            var rows = new long[settings.BatchSize * settings.BlockLength];
            for (int row = 0; row < settings.BatchSize; row++)
                Array.Copy(stream, rng.NextInt(stream.Length - settings.BlockLength), rows, row * settings.BlockLength, settings.BlockLength);
            var ids = tensor(rows, [settings.BatchSize, settings.BlockLength]);
            using var batch = new TokenBatch(ids, ones_like(ids, ScalarType.Bool), ids.clone(),
                arange(settings.BlockLength).expand(settings.BatchSize, -1).clone(), rows.Length, rows.Length);
            var stepLoss = CausalLmLoss.Compute(model, batch);
            stepLoss.backward();
            nn.utils.clip_grad_norm_(parameters, 1.0);
            // Unlike LoRA fine-tuning, pretraining starts at a non-zero rate: lr(t + 1) skips the HF zero first step.
            foreach (var group in optimizer.ParamGroups) group.LearningRate = schedule.LearningRateAt(step + 1);
            optimizer.step();
            optimizer.zero_grad();
            loss = stepLoss.item<float>();
            if (!double.IsFinite(loss)) throw new NonFiniteLossException(step, loss, double.NaN);
            progress?.Invoke(new TrainingProgress("pretrain built-in model", step + 1, settings.Steps, loss,
                schedule.LearningRateAt(step + 1), (step + 1.0) * rows.Length / clock.Elapsed.TotalSeconds, clock.Elapsed));
        }
        LlamaLoader.SaveFolder(model, folder);
        var provenance = new
        {
            description = "RecurrentKif built-in model: word-level LLaMA pretrained from scratch by RecurrentKif on its own generated corpus",
            parameters = model.parameters().Sum(p => p.numel()),
            settings.Steps, settings.BatchSize, settings.BlockLength, settings.LearningRate, settings.Seed,
            finalTrainingLoss = loss,
            seconds = clock.Elapsed.TotalSeconds,
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

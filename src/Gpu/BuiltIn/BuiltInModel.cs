using System.Diagnostics;
using System.Text.Json;
using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Models;
using RecurrentKif.Gpu.Runtime;
using RecurrentKif.Gpu.Tokenization;
using RecurrentKif.Gpu.Training;
using Serilog;
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

    public sealed record PretrainSettings
    {
        public int Steps { get; init; } = 1200;
        public int BatchSize { get; init; } = 16;
        public int BlockLength { get; init; } = 128;
        public double LearningRate { get; init; } = 3e-3;
        public int WarmupSteps { get; init; } = 20;
        public long Seed { get; init; } = 1234;
        /// <summary>Stop after this many steps (0 = all), schedule unchanged: how a test replays a recorded run's first steps.</summary>
        public int StopAfter { get; init; }

        public void Validate()
        {
            if (Steps <= 0 || BatchSize <= 0 || WarmupSteps < 0 || WarmupSteps > Steps)
                throw new ArgumentException($"pretraining needs steps > 0, batch size > 0 and 0 <= warm-up <= steps (got {Steps}, {BatchSize}, {WarmupSteps})");
            if (BlockLength < 2 || BlockLength > Config.MaxPositionEmbeddings)
                throw new ArgumentException($"block length must be in [2, {Config.MaxPositionEmbeddings}] (got {BlockLength})");
            if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new ArgumentException($"learning rate must be > 0 (got {LearningRate})");
        }
    }

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
        Build(folder, settings ?? new PretrainSettings(), progress);
        return folder;
    }

    /// <summary>A complete built-in model folder (provenance.json written last) whose tokenizer is this version's.</summary>
    public static bool IsCurrent(string folder) =>
        File.Exists(Path.Combine(folder, "provenance.json"))
        && File.ReadAllBytes(Path.Combine(folder, "tokenizer.bin")).AsSpan().SequenceEqual(TokenizerBytes.Value);

    private static void CopyShipped(string folder)
    {
        string staging = folder + ".partial";
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(staging);
        // provenance.json last: a copy cut short is never taken as complete.
        foreach (string name in new[] { "config.json", "model.safetensors", "tokenizer.bin", "provenance.json" })
            File.Copy(Path.Combine(ShippedFolder, name), Path.Combine(staging, name));
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.Move(staging, folder);
    }

    /// <summary>Pretrains the built-in model into <paramref name="folder"/> (replacing it), through a staging folder.</summary>
    public static void Build(string folder, PretrainSettings settings, Action<TrainingProgress>? progress = null)
    {
        string staging = folder + ".partial";
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(staging);
        Create(staging, settings, progress);
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.Move(staging, folder); // provenance.json is written last, so a half-built folder is never taken as done
    }

    public static void Create(string folder, PretrainSettings settings, Action<TrainingProgress>? progress = null)
    {
        File.WriteAllBytes(Path.Combine(folder, "tokenizer.bin"), TokenizerBytes.Value);
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
        var losses = new List<double>(settings.Steps);
        model.train();
        int stepsToRun = settings.StopAfter > 0 ? Math.Min(settings.StopAfter, settings.Steps) : settings.Steps;
        for (int step = 0; step < stepsToRun; step++)
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
            losses.Add(loss);
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
            settings.WarmupSteps,
            finalTrainingLoss = loss,
            seconds = clock.Elapsed.TotalSeconds,
            vocabularySize = Config.VocabSize,
            command = $"rkif pretrain --out <folder> --steps {settings.Steps} --batch-size {settings.BatchSize} --block-length {settings.BlockLength} --lr {settings.LearningRate.ToString(System.Globalization.CultureInfo.InvariantCulture)} --warmup-steps {settings.WarmupSteps} --seed {settings.Seed}",
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

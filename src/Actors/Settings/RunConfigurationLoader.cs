using Akka.Configuration;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Lora;
using RecurrentKif.Gpu.Training;

namespace RecurrentKif.Actors.Settings;

/// <summary>
/// Reads a run file on top of hocon/reference.conf and binds it to a <see cref="RunConfiguration"/>. Every error names
/// the file and the key ("rkif.training.batch-size") and says what was expected.
/// </summary>
public static class RunConfigurationLoader
{
    public static string ReferencePath => Path.Combine(AppContext.BaseDirectory, "hocon", "reference.conf");

    /// <summary>
    /// The run file (or, with <paramref name="path"/> null, nothing: reference.conf alone is then every setting), the
    /// command-line overrides on top, reference.conf underneath: the one home of every default.
    /// </summary>
    public static Config LoadHocon(string? path, IEnumerable<string>? overrides = null)
    {
        if (path is not null && !File.Exists(path)) throw new RunConfigurationException($"configuration file not found: {path}");
        if (!File.Exists(ReferencePath)) throw new RunConfigurationException($"reference configuration missing: {ReferencePath} (broken install)");
        Config Parse(string text, string source)
        {
            try { return ConfigurationFactory.ParseString(text); }
            catch (Exception e) { throw new RunConfigurationException($"{source}: not valid HOCON: {e.Message}", e); }
        }
        var config = path is null ? Config.Empty : ParseWithIncludes(path, Parse, depth: 0);
        foreach (var setting in (overrides ?? []).Reverse())
            config = Parse(setting, $"command-line override '{setting}'").WithFallback(config);
        return config.WithFallback(Parse(File.ReadAllText(ReferencePath), ReferencePath));
    }

    private static readonly System.Text.RegularExpressions.Regex IncludeLine = new(@"^\s*include\s+""(?<file>[^""]+)""\s*$", System.Text.RegularExpressions.RegexOptions.Multiline);

    /// <summary>
    /// A file may include others (<c>include "cluster-seed.conf"</c>, relative to its own folder); the including file's
    /// settings win. Handled here because the HOCON parser reads text, not files.
    /// </summary>
    private static Config ParseWithIncludes(string path, Func<string, string, Config> parse, int depth)
    {
        if (depth > 8) throw new RunConfigurationException($"{path}: includes nest deeper than 8 levels (a cycle?)");
        string text = File.ReadAllText(path);
        var includes = IncludeLine.Matches(text).Select(m => m.Groups["file"].Value).ToList();
        var config = parse(IncludeLine.Replace(text, ""), path);
        foreach (string include in includes)
        {
            string included = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, include);
            if (!File.Exists(included)) throw new RunConfigurationException($"{path}: included file not found: {included}");
            config = config.WithFallback(ParseWithIncludes(included, parse, depth + 1));
        }
        return config;
    }

    /// <summary>A pipeline run's configuration (<c>rkif run</c>, <c>rkif node</c>): refuses what only the library loop runs.</summary>
    public static RunConfiguration Load(string path, IEnumerable<string>? overrides = null) => Load(path, overrides, forPipeline: true);

    /// <summary>
    /// The same file read for <c>rkif experiment</c> and <c>rkif train</c>, which run every method and ablation through
    /// the library loop: nothing is refused for being pipeline-only (the method key is then only a default). Without a
    /// file (<paramref name="path"/> null) the settings are reference.conf's with the overrides on top.
    /// </summary>
    public static RunConfiguration LoadForExperiment(string? path, IEnumerable<string>? overrides = null) => Load(path, overrides, forPipeline: false);

    /// <summary>hocon/reference.conf as parsed, for a command-line option whose default is a key's (one home for defaults).</summary>
    public static Config Reference => ReferenceOnce.Value;

    private static readonly Lazy<Config> ReferenceOnce = new(() => LoadHocon(null));

    /// <summary>reference.conf alone, bound: every default a run has when its file sets nothing.</summary>
    public static RunConfiguration Defaults => DefaultsOnce.Value;

    private static readonly Lazy<RunConfiguration> DefaultsOnce = new(() => Load(null, null, forPipeline: false));

    private static RunConfiguration Load(string? path, IEnumerable<string>? overrides, bool forPipeline)
    {
        var config = LoadHocon(path, overrides);
        var read = new Reader(config, path ?? "command line (over hocon/reference.conf)");
        var fineTune = new FineTuneSettings
        {
            Epochs = read.Int("training.epochs", min: 1),
            BatchSize = read.Int("training.batch-size", min: 1),
            MicroBatchSize = read.Int("training.micro-batch-size", min: 1),
            Cutoff = read.Int("training.cutoff", min: 8),
            TargetCutoff = read.Int("training.target-cutoff", min: 2),
            KeepAnswer = read.Bool("training.keep-answer"),
            PromptTemplate = read.Enum<RecurrentKif.Gpu.Data.PromptTemplate>("training.prompt-template"),
            Seed = read.Long("seed"),
        };
        if (fineTune.BatchSize % fineTune.MicroBatchSize != 0)
            throw read.Error("training.batch-size", $"must be a multiple of training.micro-batch-size ({fineTune.MicroBatchSize}), got {fineTune.BatchSize}");
        double divisor = read.Double("kif.outer-loss-divisor", min: 0);
        var continual = new ContinualSettings
        {
            Method = read.Enum<ContinualMethod>("method"),
            FineTune = fineTune,
            Optimizer = new OptimizerSettings
            {
                LearningRate = read.Double("training.learning-rate", min: 1e-12),
                WarmupSteps = read.Int("training.warmup-steps", min: 0),
                MaxGradNorm = read.Double("training.max-grad-norm", min: 1e-12),
            },
            Lora = new LoraSettings
            {
                Rank = read.Int("lora.r", min: 1),
                Alpha = read.Double("lora.alpha", min: 1e-12),
                Dropout = read.Double("lora.dropout", min: 0, max: 0.999),
                TargetModules = read.StringList("lora.target-modules"),
            },
            Kif = new KifSettings
            {
                InnerSteps = read.Int("kif.inner-steps", min: 1),
                OuterSteps = read.Int("kif.outer-steps", min: 1),
                OuterBatchSize = read.Int("kif.outer-batch-size", min: 1),
                Beta1 = read.Double("kif.beta1", min: 0, max: 0.999999),
                Beta2 = read.Double("kif.beta2", min: 0, max: 0.999999),
                Quantile = read.Double("kif.quantile", min: 1e-9, max: 0.999999),
                GlobalQuantile = read.Bool("kif.global-quantile"),
                Score = read.Enum<ImportanceScore>("kif.score"),
                Fusion = read.Enum<FusionRule>("kif.fusion"),
                ResetInnerEachCycle = read.Bool("kif.reset-inner-each-cycle"),
                ResetOuterEachCycle = read.Bool("kif.reset-outer-each-cycle"),
                OuterUpdate = read.Enum<OuterUpdateMode>("kif.outer-update"),
                OuterLearningRate = read.Double("kif.outer-learning-rate", min: 1e-12),
                OuterLossDivisor = divisor > 0 ? divisor : null,
                AdaptiveTemperature = read.Double("kif.adaptive-temperature", min: 1e-12),
                IdentifyKnowledge = read.Bool("kif.identify-knowledge"),
                GlobalMerge = read.Bool("kif.global-merge"),
                DynamicImportance = read.Bool("kif.dynamic-importance"),
                UpdateShared = read.Bool("kif.update-shared"),
            },
            MemoryRatio = read.Double("memory-ratio", min: 0, max: 1),
            ValidationPerTask = read.Int("validation-per-task", min: 0),
            EvalEvery = read.Int("eval-every", min: 1),
            SelectBestByValidationLoss = read.Bool("select-best-by-validation-loss"),
            EvaluationBatchSize = read.Int("evaluation.batch-size", min: 1),
            MaxNewTokens = read.Int("evaluation.max-new-tokens", min: 1),
        };
        try { continual.Kif.Validate(); }
        catch (ArgumentException e) { throw read.Error("kif", e.Message); }
        if (forPipeline && continual.Method is ContinualMethod.MultiTask or ContinualMethod.StaticImportance or ContinualMethod.ComputeMatchedReplay)
            throw read.Error("method", $"{continual.Method} runs through `rkif experiment`; the pipeline runs RecurrentKif, SeqLora or Replay");
        string order = read.String("tasks.order");
        try { if (order != Pipeline.TaskCatalog.SubmittedOnly) TaskOrders.Resolve(order); }
        catch (ArgumentException e) { throw read.Error("tasks.order", e.Message); }
        string provider = read.String("journal.provider").ToLowerInvariant();
        if (provider is not ("sqlite" or "postgresql")) throw read.Error("journal.provider", $"must be sqlite or postgresql, got '{provider}'");
        string connection = read.String("journal.connection-string", allowEmpty: true);
        if (provider == "postgresql" && connection.Length == 0) throw read.Error("journal.connection-string", "is required for postgresql");
        string runId = read.String("run-id");
        if (runId.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || runId.Contains("..", StringComparison.Ordinal))
            throw read.Error("run-id", $"'{runId}' cannot be used as a folder name");
        return new RunConfiguration
        {
            SourceFile = Path.GetFullPath(path ?? ReferencePath),
            RunId = runId,
            DataRoot = Path.GetFullPath(read.String("data-root")),
            Model = read.String("model"),
            Device = read.String("device"),
            Bf16 = read.Bool("bf16"),
            Threads = read.Int("threads", min: 0),
            TaskSource = read.String("tasks.source"),
            TaskOrder = order,
            Sizes = new TaskSubsetSizes(read.Int("tasks.train-per-task", min: 0), read.Int("tasks.dev-per-task", min: 0), read.Int("tasks.eval-per-task", min: 0),
                read.Int("tasks.max-input-words", min: 0)),
            Continual = continual,
            CommitEvery = read.Int("checkpoints.commit-every", min: 0),
            KeepCheckpoints = read.Int("checkpoints.keep", min: 1),
            Journal = new JournalSettings(provider, connection),
            Observability = ObservabilitySettingsLoader.Load(config, read),
        };
    }

    /// <summary>Typed access to "rkif.*" keys with errors that name the file and the key.</summary>
    internal sealed class Reader(Config config, string file)
    {
        public RunConfigurationException Error(string key, string problem) => new($"{file}: rkif.{key} {problem}");

        private T Get<T>(string key, Func<string, T> read, string expected)
        {
            string path = "rkif." + key;
            if (!config.HasPath(path)) throw Error(key, "is missing");
            try { return read(path); }
            catch (Exception e) when (e is not RunConfigurationException) { throw Error(key, $"must be {expected} ({e.Message})"); }
        }

        public string String(string key, bool allowEmpty = false)
        {
            string value = Get(key, p => config.GetString(p) ?? throw new FormatException("null"), "a string");
            return allowEmpty || value.Length > 0 ? value : throw Error(key, "must not be empty");
        }

        public bool Bool(string key) => Get(key, p => config.GetBoolean(p), "on/off (true/false)");
        public long Long(string key) => Get(key, p => long.Parse(config.GetString(p), System.Globalization.CultureInfo.InvariantCulture), "an integer");

        public int Int(string key, int min = int.MinValue)
        {
            int value = Get(key, p => int.Parse(config.GetString(p), System.Globalization.CultureInfo.InvariantCulture), "an integer");
            return value >= min ? value : throw Error(key, $"must be at least {min}, got {value}");
        }

        public double Double(string key, double min = double.MinValue, double max = double.MaxValue)
        {
            double value = Get(key, p => double.Parse(config.GetString(p), System.Globalization.CultureInfo.InvariantCulture), "a number");
            return value >= min && value <= max && double.IsFinite(value) ? value : throw Error(key, $"must be in [{min}, {max}], got {value}");
        }

        public IReadOnlyList<string> StringList(string key)
        {
            var list = Get(key, p => config.GetStringList(p), "a list of strings");
            return list.Count > 0 ? list.ToList() : throw Error(key, "must not be empty");
        }

        public T Enum<T>(string key) where T : struct, System.Enum
        {
            string value = String(key);
            return System.Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && System.Enum.IsDefined(parsed)
                ? parsed
                : throw Error(key, $"must be one of {string.Join(", ", System.Enum.GetNames<T>())}, got '{value}'");
        }
    }
}

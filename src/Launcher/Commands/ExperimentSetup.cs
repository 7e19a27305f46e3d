using System.CommandLine;
using RecurrentKif.Actors.Pipeline;
using RecurrentKif.Actors.Settings;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Experiments;
using RecurrentKif.Gpu.Lora;
using RecurrentKif.Gpu.Training;

namespace RecurrentKif.Launcher.Commands;

/// <summary>What every run of an experiment shares: base settings, task source and order, subset sizes and model.</summary>
public sealed record ExperimentSetup(
    ContinualSettings Settings,
    string Benchmark,
    string Order,
    TaskSubsetSizes Sizes,
    string Model,
    string DataRoot,
    string Device,
    bool Bf16,
    int Threads)
{
    /// <summary>
    /// From a HOCON file (<c>--config</c>, <c>--set</c>, read as <c>rkif run</c> reads it) with the flags given
    /// explicitly on top, or from the flags alone (their defaults included) without a file.
    /// </summary>
    public static ExperimentSetup From(ParseResult parse, ExperimentOptions o)
    {
        string? file = parse.GetValue(o.Config);
        var sets = parse.GetValue(o.Set) ?? [];
        if (file is null && sets.Length > 0) throw new ArgumentException("--set overrides a configuration file: give one with --config");
        var run = file is null ? null : RunConfigurationLoader.LoadForExperiment(file, sets.Select(s => "rkif." + s));

        // Without a file every flag applies; with one, only the flags given on the command line override it.
        T Pick<T>(Option<T> option, T fromFile) => run is null || parse.GetResult(option) is { Implicit: false } ? parse.GetValue(option)! : fromFile;

        var baseline = run?.Continual ?? new ContinualSettings { Lora = new LoraSettings() };
        var settings = baseline with
        {
            FineTune = baseline.FineTune with
            {
                Epochs = Pick(o.Epochs, baseline.FineTune.Epochs),
                BatchSize = Pick(o.BatchSize, baseline.FineTune.BatchSize),
                MicroBatchSize = Pick(o.MicroBatchSize, baseline.FineTune.MicroBatchSize),
                Cutoff = Pick(o.Cutoff, baseline.FineTune.Cutoff),
                KeepAnswer = Pick(o.KeepAnswer, baseline.FineTune.KeepAnswer),
                PromptTemplate = Pick(o.PromptTemplate, baseline.FineTune.PromptTemplate),
                Seed = Pick(o.Seed, baseline.FineTune.Seed),
            },
            Optimizer = baseline.Optimizer with
            {
                LearningRate = Pick(o.LearningRate, baseline.Optimizer.LearningRate),
                WarmupSteps = Pick(o.Warmup, baseline.Optimizer.WarmupSteps),
            },
            Kif = baseline.Kif with
            {
                InnerSteps = Pick(o.Q, baseline.Kif.InnerSteps),
                OuterSteps = Pick(o.OuterSteps, baseline.Kif.OuterSteps),
                OuterBatchSize = Pick(o.OuterBatch, baseline.Kif.OuterBatchSize),
                OuterUpdate = Pick(o.OuterMode, baseline.Kif.OuterUpdate),
                OuterLearningRate = Pick(o.OuterLearningRate, baseline.Kif.OuterLearningRate),
                Fusion = Pick(o.Fusion, baseline.Kif.Fusion),
            },
            MemoryRatio = Pick(o.MemoryRatio, baseline.MemoryRatio),
            EvalEvery = Pick(o.EvalEvery, baseline.EvalEvery),
        };
        settings.Validate();

        string dataRoot = Pick(o.Model.DataRoot, run?.DataRoot ?? "");
        string? data = parse.GetResult(o.Data) is { Implicit: false } ? parse.GetValue(o.Data) : null;
        string source = data ?? run?.TaskSource ?? "builtin";
        var sizes = run?.Sizes ?? new TaskSubsetSizes(0, 0, 0);
        return new ExperimentSetup(
            settings,
            source == "builtin" ? TaskCatalog.EnsureBuiltInTasks(dataRoot) : source,
            Pick(o.Order, run?.TaskOrder ?? ""),
            new TaskSubsetSizes(Pick(o.TrainPerTask, sizes.TrainPerTask), Pick(o.DevPerTask, sizes.DevPerTask), Pick(o.EvalPerTask, sizes.EvalPerTask), Pick(o.MaxInputWords, sizes.MaxInputWords)),
            Pick(o.Model.Model, run?.Model ?? ""),
            dataRoot,
            Pick(o.Model.Device, run?.Device ?? ""),
            Pick(o.Model.Bf16, run?.Bf16 ?? false),
            Pick(o.Model.Threads, run?.Threads ?? 0));
    }

    /// <summary>The variants to run: methods × outer modes (default: the base outer mode), then the ablations.</summary>
    public static IReadOnlyList<ExperimentVariant> Variants(ParseResult parse, ExperimentOptions o, ContinualSettings settings)
    {
        string? modes = parse.GetValue(o.OuterModes);
        return ExperimentVariants.Build(
            ExperimentVariants.ParseMethods(parse.GetValue(o.Methods)!),
            modes is null ? [settings.Kif.OuterUpdate] : ExperimentVariants.ParseOuterModes(modes),
            ExperimentVariants.ParseAblations(parse.GetValue(o.Ablations)!));
    }

    /// <summary>
    /// <c>--benchmark</c> and <c>--orders</c>, or null for one order (<c>--order</c>). Only an <c>--order</c> written on
    /// the command line conflicts with a benchmark; the default order and a configuration file's are replaced by it.
    /// </summary>
    public static BenchmarkSelection? BenchmarkOf(ParseResult parse, ExperimentOptions o) =>
        BenchmarkSelection.Parse(parse.GetValue(o.Benchmark), parse.GetValue(o.Orders), orderGiven: parse.GetResult(o.Order) is { Implicit: false });

    /// <summary>The line that states a benchmark table's scale: model, subset sizes, epochs, seeds and task data.</summary>
    public string Scale(IReadOnlyList<long> seeds)
    {
        static string Size(int n) => n == 0 ? "all" : n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return $"Scale: model {Model}; per task {Size(Sizes.TrainPerTask)} train / {Size(Sizes.DevPerTask)} dev / {Size(Sizes.EvalPerTask)} evaluation examples; inputs cut to {(Sizes.MaxInputWords == 0 ? "no limit" : $"{Sizes.MaxInputWords} words")}; "
               + $"epochs {Settings.FineTune.Epochs}; seeds {string.Join(", ", seeds)}; task data {Benchmark}.";
    }

    /// <summary><c>--seeds</c>, or the one base seed.</summary>
    public static IReadOnlyList<long> Seeds(ParseResult parse, ExperimentOptions o, ContinualSettings settings) =>
        parse.GetValue(o.Seeds) is { } seeds ? ExperimentVariants.ParseSeeds(seeds) : [settings.FineTune.Seed];
}

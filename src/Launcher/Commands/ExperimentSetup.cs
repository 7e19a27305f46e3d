using System.CommandLine;
using RecurrentKif.Actors.Pipeline;
using RecurrentKif.Actors.Settings;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Experiments;

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
    /// Read as <c>rkif run</c> reads a run: hocon/reference.conf, the <c>--config</c> file if given, <c>--set</c>, then
    /// the flags given on the command line (<see cref="SettingFlags"/>). A flag never given leaves its key alone.
    /// </summary>
    public static ExperimentSetup From(ParseResult parse, ExperimentOptions o)
    {
        // The loader lets an earlier override win over a later one: the flags come first so that they win over --set.
        var overrides = o.Flags.Overrides(parse).Concat((parse.GetValue(o.Set) ?? []).Select(s => "rkif." + s));
        var run = RunConfigurationLoader.LoadForExperiment(parse.GetValue(o.Config), overrides);
        run.Continual.Validate();
        return new ExperimentSetup(
            run.Continual,
            run.TaskSource == "builtin" ? TaskCatalog.EnsureBuiltInTasks(run.DataRoot) : run.TaskSource,
            run.TaskOrder,
            run.Sizes,
            run.Model,
            run.DataRoot,
            run.Device,
            run.Bf16,
            run.Threads);
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

using System.Text.Json;
using RecurrentKif.Gpu.Continual;

namespace RecurrentKif.Gpu.Experiments;

/// <summary>
/// A benchmark.json read back: the benchmark run it records and the scale line it was written with. Reading it is
/// what lets runs made by separate processes (orders, methods or seeds side by side on different cores or machines)
/// become one table (<see cref="BenchmarkCombination"/>). Only the runs are read: every number of the table is
/// computed again from them, so a combined table is made exactly as a single run's.
/// </summary>
public sealed record BenchmarkFile(string Path, BenchmarkResult Result, string Scale)
{
    /// <summary>Reads <paramref name="path"/>; any missing or inconsistent field is an error naming the file and the place.</summary>
    public static BenchmarkFile Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"benchmark file '{path}' does not exist", path);
        FileDto? file;
        try
        {
            file = JsonSerializer.Deserialize<FileDto>(File.ReadAllText(path), ExperimentJson.Options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"benchmark file '{path}' is not valid benchmark JSON: {e.Message}", e);
        }
        if (file is null) throw new InvalidDataException($"benchmark file '{path}' is empty");
        if (file.FormatVersion != BenchmarkJson.FormatVersion)
            throw new InvalidDataException($"benchmark file '{path}' has format version {file.FormatVersion}; this build reads {BenchmarkJson.FormatVersion}");
        if (file.Benchmark is null || file.Scale is null || file.Variants is null || file.Experiments is null)
            throw new InvalidDataException($"benchmark file '{path}': 'benchmark', 'scale', 'variants' or 'experiments' is missing");

        var variants = file.Variants.Select(name => Variant(name, path)).ToList();
        var orders = file.Experiments.Select((e, index) => Order(e, $"benchmark file '{path}', experiments[{index}]")).ToList();
        return new BenchmarkFile(path, new BenchmarkResult(file.Benchmark, variants, orders), file.Scale);
    }

    private static ExperimentVariant Variant(string? name, string path)
    {
        try
        {
            return ExperimentVariant.Parse(name ?? throw new ArgumentException("a variant name is null"));
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"benchmark file '{path}': {e.Message}", e);
        }
    }

    private static BenchmarkOrder Order(OrderDto dto, string where)
    {
        var e = dto.Experiment;
        if (dto.Order is null || e?.Tasks is null || e.ChanceLevels is null || e.Seeds is null || e.Variants is null || e.Runs is null)
            throw new InvalidDataException($"{where}: 'order' or a field of its 'experiment' is missing");
        if (e.FormatVersion != ExperimentJson.FormatVersion)
            throw new InvalidDataException($"{where}: experiment format version {e.FormatVersion}; this build reads {ExperimentJson.FormatVersion}");
        int k = e.Tasks.Length;
        if (e.ChanceLevels.Length != k) throw new InvalidDataException($"{where}: {e.ChanceLevels.Length} chance levels for {k} tasks");
        var chance = e.ChanceLevels.Select(c => c ?? double.NaN).ToArray();
        var runs = e.Runs.Select((run, index) => Run(run, e.Tasks, chance, $"{where}, runs[{index}]")).ToList();
        var result = new ExperimentResult(e.Tasks, chance, e.Variants, e.Seeds, runs)
        {
            EvaluatedOnDev = [.. Enumerable.Range(0, k).Select(i => runs.Any(r => r.Report.EvaluatedOnDev[i]))],
        };
        return new BenchmarkOrder(dto.Order, result);
    }

    private static ExperimentRun Run(RunDto dto, string[] tasks, double[] chance, string where)
    {
        int k = tasks.Length;
        if (dto.Variant is null || dto.Accuracies is null || dto.Metrics is null || dto.EvaluatedOnDev is null)
            throw new InvalidDataException($"{where}: 'variant', 'accuracies', 'metrics' or 'evaluatedOnDev' is missing");
        if (dto.EvaluatedOnDev.Length != k) throw new InvalidDataException($"{where}: 'evaluatedOnDev' has {dto.EvaluatedOnDev.Length} entries for {k} tasks");
        var matrix = AccuracyMatrix.FromRows(tasks, dto.Accuracies, where);
        var report = new ContinualReport(dto.Variant, tasks, matrix, dto.Metrics, dto.WallClockSeconds ?? double.NaN, dto.EvaluatedOnDev,
            (dto.Extras ?? []).ToDictionary(x => x.Key, x => x.Value ?? double.NaN))
        {
            ChanceLevels = chance,
        };
        return new ExperimentRun(dto.Variant, dto.Seed, report);
    }

    // The shapes BenchmarkJson and ExperimentJson write; the summary fields they also write are recomputed, not read.
    private sealed record FileDto(int FormatVersion, string? Benchmark, string? Scale, string?[]? Variants, OrderDto[]? Experiments);

    private sealed record OrderDto(string? Order, ExperimentDto? Experiment);

    private sealed record ExperimentDto(int FormatVersion, string[]? Tasks, double?[]? ChanceLevels, long[]? Seeds, string[]? Variants, RunDto[]? Runs);

    private sealed record RunDto(
        string? Variant, long Seed, double?[][]? Accuracies, ContinualMetrics? Metrics, double? WallClockSeconds,
        bool[]? EvaluatedOnDev, Dictionary<string, double?>? Extras);
}

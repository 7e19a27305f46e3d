using System.Text.Json;

namespace RecurrentKif.Gpu.Experiments;

/// <summary>
/// benchmark.json: the numbers of the benchmark table (<see cref="BenchmarkSummary"/>), then each order's experiment
/// exactly as its experiment.json holds it (every run's accuracy matrix and metrics), with the same conventions:
/// camelCase, unmeasured numbers as null, accuracies as fractions. The paper's rows stay in percent as printed, which
/// their property names say (overallPerformancePercent).
/// </summary>
public static class BenchmarkJson
{
    public const int FormatVersion = 1;

    public static void Write(BenchmarkResult result, string scale, string path) => ExperimentJson.WriteText(Serialize(result, scale), path);

    public static string Serialize(BenchmarkResult result, string scale)
    {
        var summary = BenchmarkSummary.Of(result, scale);
        return JsonSerializer.Serialize(new
        {
            formatVersion = FormatVersion,
            benchmark = summary.Benchmark,
            scale = summary.Scale,
            orders = summary.Orders,
            variants = result.Variants.Select(v => v.Name),
            tasks = summary.Tasks,
            averaged = summary.Averaged,
            perTask = summary.PerTask,
            perOrder = summary.PerOrder,
            paperOnly = summary.PaperOnly,
            experiments = result.Orders.Select(o => new { order = o.Name, experiment = ExperimentJson.Shape(o.Result) }),
        }, ExperimentJson.Options);
    }
}

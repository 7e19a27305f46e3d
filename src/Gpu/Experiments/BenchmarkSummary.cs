namespace RecurrentKif.Gpu.Experiments;

/// <summary>
/// Every number of the benchmark table, computed once so that benchmark.md, benchmark.json and benchmark.html show
/// the same ones. A pure function of the <see cref="BenchmarkResult"/>: a run cut short gives the table so far
/// (variants without runs have no row; <see cref="AveragedRow.Orders"/> says how many orders a row stands on).
/// </summary>
/// <param name="Scale">The caller's line saying at what scale this ran (model, subset sizes, …).</param>
/// <param name="Tasks">Every task of the orders, first appearance first; a task is † if any order evaluates it on dev.</param>
/// <param name="PaperOnly">The paper's rows for methods not implemented here.</param>
public sealed record BenchmarkSummary(
    string Benchmark,
    string Scale,
    IReadOnlyList<string> Orders,
    IReadOnlyList<BenchmarkTask> Tasks,
    IReadOnlyList<AveragedRow> Averaged,
    IReadOnlyList<TaskAverageRow> PerTask,
    IReadOnlyList<OrderTable> PerOrder,
    IReadOnlyList<PaperRow> PaperOnly)
{
    public static BenchmarkSummary Of(BenchmarkResult result, string scale)
    {
        var experiments = result.Orders.Select(o => o.Result).ToList();
        var tasks = experiments.SelectMany(OrderTable.TasksOf).GroupBy(t => t.Name)
            .Select(g => new BenchmarkTask(g.Key, g.Select(t => t.ChanceLevel).FirstOrDefault(c => c is not null), g.Any(t => t.EvaluatedOnDev)))
            .ToList();
        var variants = result.Variants.Select(v => v.Name).Distinct().Where(v => experiments.Any(e => e.Runs.Any(r => r.Variant == v))).ToList();
        var paper = PaperComparison.Match(result.Benchmark, result.Variants);
        return new BenchmarkSummary(
            result.Benchmark,
            scale,
            [.. result.Orders.Select(o => o.Name)],
            tasks,
            [.. variants.Select(v => AverageOf(v, experiments, paper[v]))],
            [.. variants.Select(v => new TaskAverageRow(v, [.. tasks.Select(t => TaskAccuracy.Over(experiments, v, t.Name))]))],
            [.. result.Orders.Select(OrderTable.Of)],
            PaperResults.PaperOnly(result.Benchmark));
    }

    private static AveragedRow AverageOf(string variant, IReadOnlyList<ExperimentResult> experiments, PaperComparison paper)
    {
        var runsPerOrder = experiments.Select(e => e.Runs.Where(r => r.Variant == variant).ToList()).Where(runs => runs.Count > 0).ToList();
        var wallTimes = runsPerOrder.SelectMany(runs => runs).Select(r => r.Report.WallClockSeconds).Where(double.IsFinite).ToList();
        return new AveragedRow(
            variant,
            runsPerOrder.Count,
            runsPerOrder.Sum(runs => runs.Count),
            OrderSpread.Of(runsPerOrder.Select(runs => runs.Select(r => r.Report.Metrics.OverallPerformance))),
            OrderSpread.Of(runsPerOrder.Select(runs => runs.Select(r => r.Report.Metrics.BackwardTransfer))),
            OrderSpread.Of(runsPerOrder.Select(runs => runs.Select(r => r.JustLearnedMean))),
            wallTimes.Count == 0 ? null : wallTimes.Sum(),
            paper);
    }
}

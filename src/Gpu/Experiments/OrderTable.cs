namespace RecurrentKif.Gpu.Experiments;

/// <summary>One order of a benchmark as its table shows it: the tasks in that order, and one row per variant that has runs.</summary>
public sealed record OrderTable(string Order, IReadOnlyList<BenchmarkTask> Tasks, IReadOnlyList<OrderRow> Rows)
{
    public static OrderTable Of(BenchmarkOrder order)
    {
        var result = order.Result;
        return new OrderTable(
            order.Name,
            [.. TasksOf(result)],
            [.. result.Summaries.Select(s => new OrderRow(s, [.. result.TaskNames.Select(t => TaskAccuracy.Over([result], s.Variant, t))]))]);
    }

    /// <summary>The tasks of one experiment, in its order, with chance levels and dev marks.</summary>
    public static IEnumerable<BenchmarkTask> TasksOf(ExperimentResult result) =>
        result.TaskNames.Select((name, i) => new BenchmarkTask(
            name,
            i < result.ChanceLevels.Count && double.IsFinite(result.ChanceLevels[i]) ? result.ChanceLevels[i] : null,
            result.IsEvaluatedOnDev(i)));
}

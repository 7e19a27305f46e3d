namespace RecurrentKif.Gpu.Experiments;

/// <summary>A task as the benchmark tables head it: chance level (null when unknown) and the † of a dev-split evaluation.</summary>
public sealed record BenchmarkTask(string Name, double? ChanceLevel, bool EvaluatedOnDev);

/// <summary>
/// One task's accuracy right after learning it (a[i, i]) and at the end of the sequence (a[K−1, i]). Within an order
/// the spread is over seeds; averaged over orders it is an <see cref="OrderSpread"/>.
/// </summary>
public sealed record TaskAccuracy(string Task, SeedSpread JustLearned, SeedSpread Final)
{
    /// <summary>The task's accuracies from one variant's runs in each of the given orders (orders without the task count out).</summary>
    public static TaskAccuracy Over(IEnumerable<ExperimentResult> orders, string variant, string task)
    {
        var runsPerOrder = orders.Where(o => o.TaskNames.Contains(task)).Select(o => o.Runs.Where(r => r.Variant == variant).ToList()).ToList();
        return new TaskAccuracy(
            task,
            OrderSpread.Of(runsPerOrder.Select(runs => runs.Select(r => r.JustLearned(task)))),
            OrderSpread.Of(runsPerOrder.Select(runs => runs.Select(r => r.Final(task)))));
    }
}

/// <summary>One variant in one order: its summary over seeds and each task's accuracies, in the order's task order.</summary>
public sealed record OrderRow(VariantSummary Summary, IReadOnlyList<TaskAccuracy> Tasks);

/// <summary>One variant over all orders: each task's accuracies, mean over orders.</summary>
public sealed record TaskAverageRow(string Variant, IReadOnlyList<TaskAccuracy> Tasks);

/// <summary>
/// One variant averaged over the orders it has runs in: OP, BWT and the accuracy right after learning as
/// <see cref="OrderSpread"/>s, the total wall time of all its runs (null when none was timed), and the paper's row.
/// </summary>
public sealed record AveragedRow(
    string Variant,
    int Orders,
    int Runs,
    SeedSpread OverallPerformance,
    SeedSpread BackwardTransfer,
    SeedSpread JustLearned,
    double? WallClockSecondsTotal,
    PaperComparison Paper);

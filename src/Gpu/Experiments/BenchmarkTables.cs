using System.Globalization;
using System.Text;
using RecurrentKif.Gpu.Continual;
using static RecurrentKif.Gpu.Experiments.ExperimentTables;

namespace RecurrentKif.Gpu.Experiments;

/// <summary>
/// benchmark.md, the paper's table at our scale: the variants averaged over the benchmark's orders beside the paper's
/// T5-large rows, each task averaged over orders, then every order on its own. Cells are percentages.
/// </summary>
public static class BenchmarkTables
{
    public static string Markdown(BenchmarkResult result, string scale) => Markdown(BenchmarkSummary.Of(result, scale));

    public static string Markdown(BenchmarkSummary summary)
    {
        var text = new StringBuilder();
        text.AppendLine($"# Benchmark: {summary.Benchmark} ({string.Join(", ", summary.Orders)})");
        text.AppendLine();
        text.Append(Averaged(summary));
        text.AppendLine();
        AppendPerTask(text, summary);
        foreach (var order in summary.PerOrder) AppendOrder(text, order);
        AppendDevFootnote(text, summary.Tasks);
        return text.ToString();
    }

    /// <summary>The averaged table with the paper's rows and what is paper-only: what the console shows at the end.</summary>
    public static string Averaged(BenchmarkSummary summary)
    {
        var text = new StringBuilder();
        text.AppendLine(summary.Scale);
        text.AppendLine();
        text.AppendLine($"## Averaged over orders ({summary.Orders.Count})");
        text.AppendLine("| variant | orders | runs | OP (%) | BWT (%) | just learned (%) | wall time, all runs (s) | paper (T5-large) | paper OP (%) | paper BWT (%) |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---|---:|---:|");
        foreach (var row in summary.Averaged)
        {
            text.AppendLine($"| {row.Variant} | {row.Orders} | {row.Runs} | {row.OverallPerformance.Format()} | {row.BackwardTransfer.Format()} | "
                            + $"{row.JustLearned.Format()} | {row.WallClockSecondsTotal?.ToString("F1", CultureInfo.InvariantCulture) ?? "-"} | {row.Paper.Label} | "
                            + $"{PaperRow.Number(row.Paper.Row?.OverallPerformancePercent)} | {PaperRow.Number(row.Paper.Row?.BackwardTransferPercent)} |");
        }
        text.AppendLine();
        text.AppendLine("Paper only, not implemented here: "
                        + string.Join(", ", summary.PaperOnly.Select(r => r.Format())) + ".");
        text.AppendLine("OP, BWT, just learned: mean over orders of each order's mean over seeds, ± sample std over all order × seed runs. "
                        + "just learned: mean accuracy right after learning each task (the matrix diagonal; MultiTask has none). "
                        + "Paper: Recurrent-KIF (Feng et al., ACL 2025), T5-large, mean of its 3 orders, OP / BWT; another model and scale than ours. "
                        + "Only the plain Recurrent-KIF variant (first outer mode, no ablation) stands beside the paper's Recurrent-KIF row.");
        return text.ToString();
    }

    private static void AppendPerTask(StringBuilder text, BenchmarkSummary summary)
    {
        text.AppendLine("## Per task, averaged over orders");
        text.AppendLine(ChanceLine(summary.Tasks.Select(t => (Label(t), t.ChanceLevel))));
        text.AppendLine();
        AppendTaskTable(text, summary.Tasks, [], PerTaskRows(summary));
        text.AppendLine();
        text.AppendLine("Each task: accuracy right after learning it → at the end of the sequence (%), mean over orders of the mean over seeds.");
        text.AppendLine();
    }

    private static void AppendOrder(StringBuilder text, OrderTable order)
    {
        text.AppendLine($"## {order.Order}: {string.Join(" → ", order.Tasks.Select(Label))}");
        text.AppendLine(ChanceLine(order.Tasks.Select(t => (Label(t), t.ChanceLevel))));
        text.AppendLine();
        if (order.Rows.Count == 0)
        {
            text.AppendLine("No run of this order has finished yet.");
            text.AppendLine();
            return;
        }
        AppendTaskTable(text, order.Tasks, OrderHeaders, OrderRows(order));
        text.AppendLine();
        text.AppendLine("OP, BWT: mean ± sample std over seeds. Each task: accuracy right after learning it → at the end (%), mean over seeds.");
        text.AppendLine();
    }

    /// <summary>One row per variant: its leading numbers, then "just learned → final" per task.</summary>
    private static void AppendTaskTable(StringBuilder text, IReadOnlyList<BenchmarkTask> tasks, IReadOnlyList<string> leading,
        IEnumerable<(string Variant, IReadOnlyList<string> Leading, IReadOnlyList<TaskAccuracy> Tasks)> rows)
    {
        text.AppendLine("| variant | " + string.Join(" | ", leading.Concat(tasks.Select(Label))) + " |");
        text.AppendLine("|---|" + string.Concat(Enumerable.Repeat("---:|", leading.Count + tasks.Count)));
        foreach (var (variant, numbers, accuracies) in rows)
            text.AppendLine($"| {variant} | " + string.Join(" | ", numbers.Concat(accuracies.Select(Cell))) + " |");
    }

    /// <summary>The headers of an order table's numbers before the tasks.</summary>
    internal static readonly IReadOnlyList<string> OrderHeaders = ["seeds", "OP (%)", "BWT (%)"];

    /// <summary>An order table's rows: variant, seeds, OP and BWT (mean ± std over seeds), then the tasks.</summary>
    internal static IEnumerable<(string Variant, IReadOnlyList<string> Leading, IReadOnlyList<TaskAccuracy> Tasks)> OrderRows(OrderTable order) =>
        order.Rows.Select(r => (r.Summary.Variant,
            (IReadOnlyList<string>)[r.Summary.Seeds.ToString(CultureInfo.InvariantCulture), r.Summary.OverallPerformance.Format(), r.Summary.BackwardTransfer.Format()],
            r.Tasks));

    /// <summary>The averaged per-task table's rows: no numbers before the tasks.</summary>
    internal static IEnumerable<(string Variant, IReadOnlyList<string> Leading, IReadOnlyList<TaskAccuracy> Tasks)> PerTaskRows(BenchmarkSummary summary) =>
        summary.PerTask.Select(r => (r.Variant, (IReadOnlyList<string>)[], r.Tasks));

    /// <summary>"98.0 → 12.5": right after learning → at the end, means only (the ± would make the table unreadable).</summary>
    internal static string Cell(TaskAccuracy accuracy) => $"{Percent(accuracy.JustLearned.Mean)} → {Percent(accuracy.Final.Mean)}";

    /// <summary>The task's name, with † when it is evaluated on its dev split.</summary>
    internal static string Label(BenchmarkTask task) => task.EvaluatedOnDev ? task.Name + ContinualReportTables.DevMark : task.Name;

    private static void AppendDevFootnote(StringBuilder text, IReadOnlyList<BenchmarkTask> tasks)
    {
        if (tasks.Any(t => t.EvaluatedOnDev))
            text.AppendLine($"{ContinualReportTables.DevMark} evaluated on its dev split: no test split is available for this task.");
    }
}

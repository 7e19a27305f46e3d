using System.Globalization;
using System.Text;

namespace RecurrentKif.Gpu.Continual;

/// <summary>Human-readable renderings of reports: one run's accuracy matrix, and several methods side by side.</summary>
internal static class ContinualReportTables
{
    public const string DevMark = "†";
    private const string Missing = "-";
    /// <summary>Label of the row of chance levels (1 / distinct labels of each task's evaluation split).</summary>
    public const string ChanceRow = "chance";

    public static string Matrix(ContinualReport report)
    {
        var names = report.TaskNames;
        string[] headers = names.Select((name, i) => report.EvaluatedOnDev[i] ? name + DevMark : name).ToArray();
        string[] rowLabels = names.Select(name => "after " + name).ToArray();
        const string corner = "accuracy %";
        int labelWidth = rowLabels.Append(corner).Append(ChanceRow).Max(l => l.Length);
        // Wide enough for the header and for "100.0".
        int[] widths = headers.Select(h => Math.Max(h.Length, 5)).ToArray();

        var text = new StringBuilder();
        text.AppendLine($"{report.Method}: accuracy (%) on each task (columns) after training through each task (rows)");
        text.Append(corner.PadRight(labelWidth));
        for (int i = 0; i < names.Count; i++) text.Append("  ").Append(headers[i].PadLeft(widths[i]));
        text.AppendLine();
        for (int j = 0; j < names.Count; j++)
        {
            text.Append(rowLabels[j].PadRight(labelWidth));
            for (int i = 0; i < names.Count; i++) text.Append("  ").Append(Percent(report.Accuracies[j, i]).PadLeft(widths[i]));
            text.AppendLine();
        }
        if (HasChanceLevels(report))
        {
            // What guessing among the task's labels would score: accuracy near it means nothing was learned.
            text.Append(ChanceRow.PadRight(labelWidth));
            for (int i = 0; i < names.Count; i++) text.Append("  ").Append(Percent(report.ChanceLevels[i]).PadLeft(widths[i]));
            text.AppendLine();
        }

        ContinualMetrics m = report.Metrics;
        text.AppendLine($"OP {Percent(m.OverallPerformance)}  BWT {Percent(m.BackwardTransfer)}  FWT (zero-shot) {Percent(m.FwtZeroShot)}"
                        + (m.FwtVersusSingleTask is null ? "" : $"  FWT (vs single-task) {Percent(m.FwtVersusSingleTask)}"));
        if (report.EvaluatedOnDev.Any(onDev => onDev))
            text.AppendLine($"{DevMark} evaluated on its dev split: no test split is available for this task.");
        return text.ToString();
    }

    /// <summary>True when the report knows a chance level for at least one of its tasks (one per task).</summary>
    public static bool HasChanceLevels(ContinualReport report) =>
        report.ChanceLevels.Count == report.TaskNames.Count && report.ChanceLevels.Any(double.IsFinite);

    public static string Comparison(IReadOnlyList<ContinualReport> reports)
    {
        var text = new StringBuilder();
        text.AppendLine("| method | tasks | OP (%) | BWT (%) | FWT zero-shot (%) | wall time (s) |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (ContinualReport report in reports)
        {
            string tasks = report.TaskNames.Count.ToString(CultureInfo.InvariantCulture)
                           + (report.EvaluatedOnDev.Any(onDev => onDev) ? DevMark : "");
            text.AppendLine($"| {report.Method} | {tasks} | {Percent(report.Metrics.OverallPerformance)} | {Percent(report.Metrics.BackwardTransfer)} | "
                            + $"{Percent(report.Metrics.FwtZeroShot)} | {Number(report.WallClockSeconds, "F1")} |");
        }
        if (reports.Any(r => r.EvaluatedOnDev.Any(onDev => onDev)))
        {
            text.AppendLine();
            text.AppendLine($"{DevMark} some tasks of the sequence were evaluated on their dev split (no test split available).");
        }
        return text.ToString();
    }

    private static string Percent(double? fraction) => fraction is double value ? Number(100 * value, "F1") : Missing;

    private static string Number(double value, string format) =>
        double.IsNaN(value) ? Missing : value.ToString(format, CultureInfo.InvariantCulture);
}

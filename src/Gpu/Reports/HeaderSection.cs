using System.Globalization;
using System.Text;
using RecurrentKif.Gpu.Continual;
using static RecurrentKif.Gpu.Reports.HtmlText;

namespace RecurrentKif.Gpu.Reports;

/// <summary>
/// The top of the report: what was run, in which order, how long it took, and the three summary metrics as big
/// numbers, each with one sentence saying what it means, so the page can be read without docs/algorithm.md at hand.
/// </summary>
internal static class HeaderSection
{
    public static void Append(StringBuilder html, RunReportData data)
    {
        ContinualReport report = data.Report;
        html.Append($"<header><h1>{Escape(data.Title)}</h1>");
        html.Append("<dl class=\"facts\">");
        Fact(html, "Method", Escape(report.Method));
        Fact(html, "Task order", TaskOrder(report));
        Fact(html, "Wall time", $"{Escape(Duration(report.WallClockSeconds))} <span class=\"muted\">({Number(report.WallClockSeconds, "F1")} s)</span>");
        Fact(html, "Generated", Escape(data.GeneratedUtc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)) + " UTC");
        html.Append("</dl>");

        int trained = data.Tasks.Count, total = report.TaskNames.Count;
        if (trained < total)
        {
            html.Append($"<p class=\"banner\">Run in progress: {trained} of {total} tasks trained. ")
                .Append("Metrics that need the unfinished rows of the matrix are shown as “–”.</p>");
        }

        ContinualMetrics m = report.Metrics;
        html.Append("<div class=\"metrics\">");
        Metric(html, "op", "OP", "overall performance", m.OverallPerformance,
            "Mean accuracy over all tasks after the last one was learned. Higher is better.");
        Metric(html, "bwt", "BWT", "backward transfer", m.BackwardTransfer,
            "How learning later tasks changed accuracy on earlier ones (final minus right after learning). "
            + "Below zero means forgetting; zero means none.");
        Metric(html, "fwt", "FWT", "forward transfer, zero-shot", m.FwtZeroShot,
            "Mean accuracy on each task just before training on it: what earlier tasks taught for free.");
        if (m.FwtVersusSingleTask is not null)
        {
            Metric(html, "fwt-single", "FWT", "forward transfer vs. single-task", m.FwtVersusSingleTask,
                "Accuracy right after learning each task minus that of a LoRA trained on it alone.");
        }
        html.Append("</div>");
        if (m.OverallPerformance is null || m.BackwardTransfer is null || m.FwtZeroShot is null)
        {
            html.Append("<p class=\"note\">“–”: not defined for this run, either because the sequence has one task ")
                .Append("or because a matrix cell the metric needs was not measured.</p>");
        }
        html.Append("</header>");
    }

    private static void Fact(StringBuilder html, string term, string escapedValue) =>
        html.Append($"<div><dt>{term}</dt><dd>{escapedValue}</dd></div>");

    private static string TaskOrder(ContinualReport report) =>
        string.Join(" <span class=\"muted\">→</span> ", report.TaskNames.Select((name, i) =>
            Escape(name) + (IsOnDev(report, i) ? $"<sup>{DevMark}</sup>" : "")));

    private static void Metric(StringBuilder html, string id, string abbreviation, string name, double? value, string meaning)
    {
        string unit = value is null ? "" : "<span class=\"unit\">%</span>";
        html.Append($"<section class=\"metric\" id=\"metric-{id}\">")
            .Append($"<div class=\"metric-name\">{abbreviation} <span class=\"muted\">{name}</span></div>")
            .Append($"<div class=\"metric-value\">{Percent(value)}{unit}</div>")
            .Append($"<p>{meaning}</p></section>");
    }

    public static bool IsOnDev(ContinualReport report, int task) =>
        task < report.EvaluatedOnDev.Count && report.EvaluatedOnDev[task];
}

using System.Text;
using RecurrentKif.Gpu.Experiments;
using static RecurrentKif.Gpu.Reports.HtmlText;

namespace RecurrentKif.Gpu.Reports;

/// <summary>
/// The per-task tables of benchmark.html: each cell "right after learning → at the end", coloured like the run
/// report's heat map by the final accuracy, so forgetting reads as a light cell with a high first number.
/// </summary>
internal static class BenchmarkHtmlTables
{
    public static void AppendPerTask(StringBuilder html, BenchmarkSummary summary)
    {
        html.Append("<section id=\"per-task\"><h2>Per task, averaged over orders</h2>")
            .Append($"<p class=\"note\">{Escape(ExperimentTables.ChanceLine(summary.Tasks.Select(t => (BenchmarkTables.Label(t), t.ChanceLevel))))}</p>");
        AppendTable(html, summary.Tasks, [], BenchmarkTables.PerTaskRows(summary));
        html.Append("<p class=\"footnote\">Each cell: accuracy (%) right after learning the task → at the end of the sequence, ")
            .Append("mean over orders of the mean over seeds; coloured by the final accuracy.</p></section>");
    }

    public static void AppendOrder(StringBuilder html, OrderTable order)
    {
        string link = Uri.EscapeDataString(order.Order) + "/experiment.html";
        html.Append($"<section id=\"order-{Escape(order.Order)}\"><h2>{Escape(order.Order)}</h2>")
            .Append($"<p class=\"lead\">{Escape(string.Join(" → ", order.Tasks.Select(BenchmarkTables.Label)))} · ")
            .Append($"<a href=\"{Escape(link)}\">this order&#x2019;s experiment report</a> (charts, wall time, optimizer steps)</p>")
            .Append($"<p class=\"note\">{Escape(ExperimentTables.ChanceLine(order.Tasks.Select(t => (BenchmarkTables.Label(t), t.ChanceLevel))))}</p>");
        if (order.Rows.Count == 0)
        {
            html.Append("<p class=\"note\">No run of this order has finished yet.</p></section>");
            return;
        }
        AppendTable(html, order.Tasks, BenchmarkTables.OrderHeaders, BenchmarkTables.OrderRows(order));
        html.Append("<p class=\"footnote\">OP, BWT: mean ± sample std over seeds. Each task: accuracy (%) right after learning it → at the end, mean over seeds.</p></section>");
    }

    private static void AppendTable(StringBuilder html, IReadOnlyList<BenchmarkTask> tasks, IReadOnlyList<string> leading,
        IEnumerable<(string Variant, IReadOnlyList<string> Leading, IReadOnlyList<TaskAccuracy> Tasks)> rows)
    {
        html.Append("<div class=\"scroll\"><table class=\"numbers compact\"><thead><tr><th scope=\"col\" class=\"text\">variant</th>");
        foreach (string header in leading) html.Append($"<th scope=\"col\">{Escape(header)}</th>");
        foreach (var task in tasks) html.Append($"<th scope=\"col\">{Escape(task.Name)}{(task.EvaluatedOnDev ? $"<sup>{DevMark}</sup>" : "")}</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var (variant, numbers, accuracies) in rows)
        {
            html.Append($"<tr><th scope=\"row\">{Escape(variant)}</th>");
            foreach (string number in numbers) html.Append($"<td>{Escape(number)}</td>");
            foreach (var accuracy in accuracies) AppendCell(html, variant, accuracy);
            html.Append("</tr>");
        }
        html.Append("</tbody></table></div>");
    }

    private static void AppendCell(StringBuilder html, string variant, TaskAccuracy accuracy)
    {
        string text = Escape(BenchmarkTables.Cell(accuracy));
        string tooltip = Escape($"{variant} on {accuracy.Task}: right after learning → at the end");
        if (accuracy.Final.Mean is not double final)
        {
            html.Append($"<td class=\"unmeasured\" title=\"{tooltip}\">{text}</td>");
            return;
        }
        html.Append($"<td style=\"background:{ReportColors.Heat(final)};color:{ReportColors.HeatText(final)}\" title=\"{tooltip}\">{text}</td>");
    }
}

using System.Text;
using RecurrentKif.Gpu.Continual;
using static RecurrentKif.Gpu.Reports.HtmlText;

namespace RecurrentKif.Gpu.Reports;

/// <summary>
/// The accuracy matrix a[j, i] as a table whose cells are coloured by accuracy: forgetting shows as a column that
/// gets lighter downwards, forward transfer as colour above the diagonal.
/// </summary>
internal static class AccuracyHeatMap
{
    public static void Append(StringBuilder html, RunReportData data)
    {
        ContinualReport report = data.Report;
        var names = report.TaskNames;
        html.Append("<section id=\"accuracy-matrix\"><h2>Accuracy after each task</h2>")
            .Append("<p class=\"lead\">Row <em>after task j</em>, column <em>task i</em>: accuracy (%) on task i once training ")
            .Append("has reached task j. Outlined cells are measured right after learning that task; cells above them, ")
            .Append("before it was learned (zero-shot). The last row, <em>chance</em>, is what guessing among a task&#x2019;s labels scores.</p>");

        html.Append("<div class=\"scroll\"><table class=\"heatmap\"><thead><tr><th scope=\"col\" class=\"corner\">accuracy %</th>");
        for (int i = 0; i < names.Count; i++)
        {
            string mark = HeaderSection.IsOnDev(report, i) ? $"<sup>{DevMark}</sup>" : "";
            // Long names are cut with an ellipsis rather than wrapped letter by letter; the tooltip has them whole.
            html.Append($"<th scope=\"col\" title=\"{Escape(names[i])}\">{Escape(names[i])}{mark}</th>");
        }
        html.Append("</tr></thead><tbody>");
        for (int j = 0; j < names.Count; j++)
        {
            html.Append($"<tr><th scope=\"row\">after {Escape(names[j])}</th>");
            for (int i = 0; i < names.Count; i++) AppendCell(html, report.Accuracies[j, i], j, i, names);
            html.Append("</tr>");
        }
        html.Append("</tbody>");
        if (ContinualReportTables.HasChanceLevels(report))
        {
            // Plain cells, not coloured: chance is a yardstick for the cells above, not a measurement.
            html.Append("<tfoot><tr class=\"chance\"><th scope=\"row\" title=\"1 / number of distinct labels of the task&#x2019;s evaluation split\">chance</th>");
            for (int i = 0; i < names.Count; i++)
                html.Append($"<td class=\"cell chance\" title=\"{Escape($"guessing among the labels of {names[i]}")}\">")
                    .Append(double.IsNaN(report.ChanceLevels[i]) ? Missing : Percent(report.ChanceLevels[i])).Append("</td>");
            html.Append("</tr></tfoot>");
        }
        html.Append("</table></div>");

        AppendScale(html);
        if (report.EvaluatedOnDev.Any(onDev => onDev))
        {
            html.Append($"<p class=\"footnote\" id=\"dev-footnote\">{DevMark} evaluated on its dev split: ")
                .Append("no test split is available for this task.</p>");
        }
        html.Append("</section>");
    }

    private static void AppendCell(StringBuilder html, double accuracy, int after, int on, IReadOnlyList<string> names)
    {
        string classes = after == on ? "cell diagonal" : after < on ? "cell zero-shot" : "cell";
        string tooltip = $"task {names[on]} after training through {names[after]}";
        if (double.IsNaN(accuracy))
        {
            html.Append($"<td class=\"{classes} unmeasured\" title=\"{Escape(tooltip)}: not measured\">{Missing}</td>");
            return;
        }
        html.Append($"<td class=\"{classes}\" style=\"background:{ReportColors.Heat(accuracy)};color:{ReportColors.HeatText(accuracy)}\" ")
            .Append($"title=\"{Escape(tooltip)}\">{Percent(accuracy)}</td>");
    }

    /// <summary>A strip of the colour scale, so colours can be read back as numbers.</summary>
    private static void AppendScale(StringBuilder html)
    {
        html.Append("<div class=\"scale\" aria-hidden=\"true\"><span class=\"muted\">colour scale</span>");
        foreach (int percent in new[] { 0, 20, 40, 60, 80, 100 })
        {
            double accuracy = percent / 100.0;
            html.Append($"<span class=\"swatch\" style=\"background:{ReportColors.Heat(accuracy)};color:{ReportColors.HeatText(accuracy)}\">{percent}</span>");
        }
        html.Append($"<span class=\"swatch unmeasured\">{Missing}</span><span class=\"muted\">not measured</span></div>");
    }
}

using System.Text;
using RecurrentKif.Gpu.Continual;
using static RecurrentKif.Gpu.Reports.HtmlText;

namespace RecurrentKif.Gpu.Reports;

/// <summary>
/// Per task, accuracy right after learning it (a[i, i]) beside its accuracy at the end of the run (a[K−1, i]):
/// the gap between the two bars is what later tasks cost. Forgetting (ContinualMetrics) is written under each pair
/// and in a table below.
/// </summary>
internal static class AccuracyBarChart
{
    private const double Width = 1000, Height = 296;
    private const double PlotLeft = 64, PlotTop = 24, PlotWidth = 916, PlotHeight = 220;

    public static void Append(StringBuilder html, RunReportData data)
    {
        ContinualReport report = data.Report;
        int k = report.TaskNames.Count, last = k - 1;
        html.Append("<section id=\"final-accuracy\"><h2>Right after learning vs. at the end</h2>")
            .Append("<p class=\"lead\">A drop from the light bar to the dark one is forgetting: accuracy later tasks took away.</p>");
        Legend.Append(html, [("right after learning it", ReportColors.JustLearned), ("at the end of the run", ReportColors.Final)]);

        var svg = new SvgWriter(Width, Height, "chart bars", "Bar chart: accuracy per task right after learning it and at the end of the run");
        var frame = new ChartFrame(PlotLeft, PlotTop, PlotWidth, PlotHeight, 0, k, 0, 1);
        frame.DrawYAxis(svg, [0, 0.25, 0.5, 0.75, 1], tick => Percent(tick).Replace(".0", ""), "accuracy (%)");

        double group = PlotWidth / k;
        double bar = Math.Min(40, group * 0.34);
        for (int i = 0; i < k; i++)
        {
            double center = frame.X(i + 0.5);
            string name = report.TaskNames[i];
            Bar(svg, frame, center - bar - 1, bar, report.Accuracies[i, i], ReportColors.JustLearned, $"{name}: right after learning it");
            Bar(svg, frame, center + 1, bar, report.Accuracies[last, i], ReportColors.Final, $"{name}: at the end of the run");
            svg.Text(center, frame.Bottom + 18, Fit(name, group), "tick", "middle");
            double? forgetting = i < report.Metrics.Forgetting.Count ? report.Metrics.Forgetting[i] : null;
            if (forgetting is not null) svg.Text(center, frame.Bottom + 36, Fit($"forgetting {Percent(forgetting)}", group), "note-text", "middle");
        }
        svg.Line(frame.Left, frame.Bottom, frame.Right, frame.Bottom, "axis");
        html.Append("<div class=\"scroll\">").Append(svg.Close()).Append("</div>");
        AppendTable(html, report);
        html.Append("</section>");
    }

    private static void Bar(SvgWriter svg, ChartFrame frame, double x, double width, double accuracy, string fill, string what)
    {
        if (double.IsNaN(accuracy))
        {
            svg.Text(x + width / 2, frame.Bottom - 4, Missing, "bar-label", "middle");
            return;
        }
        double top = frame.Y(Math.Clamp(accuracy, 0, 1));
        svg.Rect(x, top, width, frame.Bottom - top, fill, "bar", $"{what}: {Percent(accuracy)} %");
        // A label needs about 30 px; on narrower bars the hover text and the table carry the number.
        if (width >= 28) svg.Text(x + width / 2, top - 4, Percent(accuracy), "bar-label", "middle");
    }

    /// <summary>Shortens a label to what fits in a slot of the given width (about 7 px a character at tick size).</summary>
    private static string Fit(string label, double slot)
    {
        int fits = Math.Max(3, (int)(slot / 7));
        return label.Length <= fits ? label : label[..(fits - 1)] + "…";
    }

    private static void AppendTable(StringBuilder html, ContinualReport report)
    {
        int last = report.TaskNames.Count - 1;
        html.Append("<table class=\"numbers compact\"><thead><tr><th scope=\"col\" class=\"text\">task</th><th scope=\"col\">right after learning (%)</th>")
            .Append("<th scope=\"col\">at the end (%)</th><th scope=\"col\">forgetting (points)</th></tr></thead><tbody>");
        for (int i = 0; i < report.TaskNames.Count; i++)
        {
            double? forgetting = i < report.Metrics.Forgetting.Count ? report.Metrics.Forgetting[i] : null;
            html.Append($"<tr><th scope=\"row\">{Escape(report.TaskNames[i])}</th><td>{Percent(report.Accuracies[i, i])}</td>")
                .Append($"<td>{Percent(report.Accuracies[last, i])}</td><td>{Percent(forgetting)}</td></tr>");
        }
        html.Append("</tbody></table>");
    }
}

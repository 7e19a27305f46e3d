using System.Text;
using RecurrentKif.Gpu.Experiments;
using static RecurrentKif.Gpu.Reports.HtmlText;

namespace RecurrentKif.Gpu.Reports;

/// <summary>
/// Horizontal bars, one row per variant (names are long, so they get the left column): accuracy right after learning
/// (light) and OP at the end (dark), each with a ±1 std whisker over seeds, and a dashed line at the mean chance level.
/// </summary>
internal static class VariantSpreadChart
{
    // RightMargin holds the "mean ± std" label (about 70 px) after a bar or whisker that reaches 100 %.
    private const double Width = 1000, LabelWidth = 300, RightMargin = 84, PlotTop = 16, RowHeight = 34, AxisSpace = 48;

    /// <summary>One bar pair: a variant's accuracy right after learning (diagonal mean) and its OP, each with a spread.</summary>
    public sealed record Bar(string Variant, SeedSpread JustLearned, SeedSpread OverallPerformance);

    public static void Append(StringBuilder html, ExperimentResult result) =>
        Append(html, [.. result.Summaries.Select(s => new Bar(s.Variant, s.JustLearned, s.OverallPerformance))], result.ChanceLevels, "seeds");

    /// <param name="spreadOver">What the whiskers' standard deviation is over, as the lead line says it ("seeds").</param>
    public static void Append(StringBuilder html, IReadOnlyList<Bar> summaries, IEnumerable<double> chanceLevels, string spreadOver)
    {
        html.Append("<section id=\"variants\"><h2>Variants side by side</h2>")
            .Append($"<p class=\"lead\">Whiskers span ±1 standard deviation over {Escape(spreadOver)}; the dashed line is the mean chance level.</p>");
        Legend.Append(html, [("just learned (diagonal mean)", ReportColors.JustLearned), ("OP (end of the run)", ReportColors.Final)]);
        if (summaries.Count == 0)
        {
            html.Append("<p class=\"note\">No run has finished yet.</p></section>");
            return;
        }
        double plotHeight = summaries.Count * RowHeight;
        var svg = new SvgWriter(Width, PlotTop + plotHeight + AxisSpace, "chart bars", "Bar chart: OP and accuracy right after learning per variant, with spread over seeds");
        // Only the frame's x scale (accuracy) is used; rows are laid out top-down by index.
        var frame = new ChartFrame(LabelWidth, PlotTop, Width - LabelWidth - RightMargin, plotHeight, 0, 1, 0, 1);
        foreach (double tick in new[] { 0, 0.25, 0.5, 0.75, 1 })
        {
            double x = frame.X(tick);
            svg.Line(x, frame.Top, x, frame.Bottom, "grid");
            svg.Text(x, frame.Bottom + 18, Percent(tick).Replace(".0", ""), "tick", "middle");
        }
        svg.Text(frame.Left + frame.Width / 2, frame.Bottom + 38, "accuracy (%)", "axis-title", "middle");
        for (int row = 0; row < summaries.Count; row++)
        {
            var s = summaries[row];
            double top = frame.Top + row * RowHeight;
            svg.Text(frame.Left - 8, top + RowHeight / 2 + 4, s.Variant, "tick", "end");
            DrawBar(svg, frame, top + 5, s.JustLearned, ReportColors.JustLearned, $"{s.Variant}: just learned");
            DrawBar(svg, frame, top + RowHeight / 2, s.OverallPerformance, ReportColors.Final, $"{s.Variant}: OP");
        }
        var chance = chanceLevels.Where(double.IsFinite).ToList();
        if (chance.Count > 0)
        {
            double x = frame.X(chance.Average());
            svg.Line(x, frame.Top, x, frame.Bottom, "boundary");
        }
        svg.Line(frame.Left, frame.Top, frame.Left, frame.Bottom, "axis");
        html.Append("<div class=\"scroll\">").Append(svg.Close()).Append("</div></section>");
    }

    private static void DrawBar(SvgWriter svg, ChartFrame frame, double y, SeedSpread spread, string fill, string what)
    {
        const double height = RowHeight / 2 - 6;
        if (spread.Mean is not double mean)
        {
            svg.Text(frame.Left + 4, y + height - 2, Missing, "bar-label");
            return;
        }
        double right = frame.X(Math.Clamp(mean, 0, 1));
        svg.Rect(frame.Left, y, right - frame.Left, height, fill, "bar", $"{what}: {spread.Format()} %");
        double labelAt = right + 6;
        if (spread.Std is double std)
        {
            double low = frame.X(Math.Clamp(mean - std, 0, 1)), high = frame.X(Math.Clamp(mean + std, 0, 1));
            double middle = y + height / 2;
            svg.Line(low, middle, high, middle, "axis").Line(low, y + 1, low, y + height - 1, "axis").Line(high, y + 1, high, y + height - 1, "axis");
            labelAt = Math.Max(labelAt, high + 6);
        }
        svg.Text(labelAt, y + height - 1, spread.Format(), "bar-label");
    }
}

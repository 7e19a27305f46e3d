using System.Text;
using RecurrentKif.Gpu.Continual;
using static RecurrentKif.Gpu.Reports.HtmlText;

namespace RecurrentKif.Gpu.Reports;

/// <summary>
/// Per task, how the LoRA scalars split between the fusion masks at each fusion cycle: important to the inner
/// learner only, to the outer (memory) learner only, to both, or to neither. A task whose "both" share grows is
/// one where new and old knowledge compete for the same parameters.
/// </summary>
internal static class MaskShareCharts
{
    private const double Width = 480, Height = 230;
    private const double PlotLeft = 58, PlotTop = 12, PlotWidth = 408, PlotHeight = 160;

    private static readonly (string Label, string Colour)[] Categories =
    [
        ("both", ReportColors.Both),
        ("in only", ReportColors.InOnly),
        ("out only", ReportColors.OutOnly),
        ("neither", ReportColors.Neither),
    ];

    public static void Append(StringBuilder html, RunReportData data)
    {
        html.Append("<section id=\"mask-shares\"><h2>Fusion masks per cycle</h2>")
            .Append("<p class=\"lead\">Share of LoRA parameters at each fusion that the importance masks mark as mattering ")
            .Append("to the new task (<em>in</em>), to the replayed earlier tasks (<em>out</em>), to both, or to neither.</p>");
        if (data.Tasks.Count > 0 && data.Tasks.All(t => t.Fusions == 0))
        {
            // One sentence instead of a box per task saying the same thing.
            html.Append($"<p class=\"note no-fusion\">No fusion cycles in this run: the method {Escape(data.Report.Method)} ")
                .Append("does not fuse knowledge, or only the first task has been trained.</p></section>");
            return;
        }
        Legend.Append(html, Categories);
        html.Append("<div class=\"small-multiples\">");
        for (int i = 0; i < data.Tasks.Count; i++) AppendTask(html, data, i);
        html.Append("</div></section>");
    }

    private static void AppendTask(StringBuilder html, RunReportData data, int index)
    {
        TaskTrainingStats task = data.Tasks[index];
        html.Append($"<figure class=\"mask-task\"><figcaption>{index + 1} · {Escape(task.Task)} ")
            .Append($"<span class=\"muted\">({Integer(task.Fusions)} {(task.Fusions == 1 ? "fusion" : "fusions")})</span></figcaption>");
        if (task.Fusions == 0)
        {
            string why = index == 0
                ? "this is the first task, so there is no earlier knowledge to fuse with."
                : $"the method {Escape(data.Report.Method)} does not fuse knowledge.";
            html.Append($"<p class=\"note no-fusion\">No fusion cycles: {why}</p></figure>");
            return;
        }

        int n = task.Fusions;
        var frame = new ChartFrame(PlotLeft, PlotTop, PlotWidth, PlotHeight, 0.5, n + 0.5, 0, 1);
        var svg = new SvgWriter(Width, Height, "chart masks", $"Stacked bars: mask shares per fusion cycle of task {task.Task}");
        frame.DrawYAxis(svg, [0, 0.25, 0.5, 0.75, 1], tick => Percent(tick).Replace(".0", ""), "share (%)");
        frame.DrawXAxis(svg, NiceTicks.Integers(1, n, 10), "fusion cycle");

        double slot = PlotWidth / n;
        // Gaps help tell bars apart, but below a few pixels they would eat the bars themselves.
        double barWidth = slot >= 4 ? slot * 0.8 : slot;
        for (int c = 0; c < n; c++)
        {
            double[] shares = Shares(task.FusionShares[c]);
            double bottom = 0;
            for (int k = 0; k < Categories.Length; k++)
            {
                if (shares[k] <= 0) continue;
                double top = bottom + shares[k];
                svg.Rect(frame.X(c + 1) - barWidth / 2, frame.Y(top), barWidth, frame.Y(bottom) - frame.Y(top), Categories[k].Colour,
                    "share", $"cycle {c + 1}, {Categories[k].Label}: {Percent(shares[k])} %");
                bottom = top;
            }
        }
        html.Append(svg.Close());
        AppendMeans(html, task);
        html.Append("</figure>");
    }

    /// <summary>The four shares of one fusion in <see cref="Categories"/> order; all zero when it counted nothing.</summary>
    private static double[] Shares(MaskShares s)
    {
        if (s.Total <= 0) return [0, 0, 0, 0];
        double total = s.Total;
        return [s.Both / total, s.InOnly / total, s.OutOnly / total, s.Neither / total];
    }

    private static void AppendMeans(StringBuilder html, TaskTrainingStats task)
    {
        var counted = task.FusionShares.Where(s => s.Total > 0).Select(Shares).ToArray();
        html.Append("<table class=\"numbers compact means\"><thead><tr><th scope=\"col\">mean share</th>");
        foreach (var (label, colour) in Categories)
            html.Append($"<th scope=\"col\"><span class=\"key\" style=\"background:{colour}\"></span>{label}</th>");
        html.Append("</tr></thead><tbody><tr><th scope=\"row\">%</th>");
        for (int k = 0; k < Categories.Length; k++)
            html.Append($"<td>{(counted.Length == 0 ? Missing : Percent(counted.Average(shares => shares[k])))}</td>");
        html.Append("</tr></tbody></table>");
    }
}

using System.Globalization;
using System.Text;
using RecurrentKif.Gpu.Continual;
using static RecurrentKif.Gpu.Reports.HtmlText;

namespace RecurrentKif.Gpu.Reports;

/// <summary>
/// Training loss over optimizer steps, the tasks laid end to end on one x axis with their boundaries marked, one
/// line per task. Seeing every task on one scale shows which tasks are hard and whether a new task starts from a
/// good place (forward transfer) at a glance. Where it was recorded, the loss of the answer's first token (the
/// decision between label words) is drawn too, as a thin dotted line of the task's colour: a mean loss that falls
/// while the first-token loss stays at ln(#labels) means the model learned the label words' endings, not the choice.
/// </summary>
internal static class LossCurveChart
{
    private const double Width = 1000, Height = 360;
    private const double PlotLeft = 70, PlotTop = 34, PlotWidth = 906, PlotHeight = 260;

    /// <summary>At most this many points per horizontal pixel: more cannot be seen, and would only make the file big.</summary>
    private const double PointsPerPixel = 2;

    public static void Append(StringBuilder html, RunReportData data)
    {
        html.Append("<section id=\"loss\"><h2>Training loss</h2>");
        var tasks = data.Tasks;
        int totalSteps = tasks.Sum(t => t.Losses.Count);
        var finite = tasks.SelectMany(t => t.Losses).Where(double.IsFinite).ToArray();
        var finiteFirstToken = tasks.SelectMany(t => t.FirstTokenLosses).Where(double.IsFinite).ToArray();
        if (finite.Length == 0)
        {
            html.Append("<p class=\"note\">No training losses recorded yet.</p></section>");
            return;
        }
        html.Append("<p class=\"lead\">Loss at each optimizer step, tasks one after another; dashed lines mark where a new task begins.")
            .Append(totalSteps > PlotWidth * PointsPerPixel ? " Long runs are shown as the mean over a few consecutive steps." : "")
            .Append(finiteFirstToken.Length > 0 ? " Thin dotted lines: the loss of the first answer token alone (the decision)." : "")
            .Append("</p>");
        Legend.Append(html, tasks.Select((t, i) => ($"{i + 1} {t.Task}", ReportColors.Task(i))));

        var all = finite.Concat(finiteFirstToken).ToArray();
        double[] yTicks = NiceTicks.For(all.Min(), all.Max());
        int decimals = NiceTicks.Decimals(yTicks);
        var frame = new ChartFrame(PlotLeft, PlotTop, PlotWidth, PlotHeight, 0, Math.Max(1, totalSteps), yTicks[0], yTicks[^1]);
        var svg = new SvgWriter(Width, Height, "chart loss", "Line chart: training loss per optimizer step, one line per task");
        frame.DrawYAxis(svg, yTicks, tick => tick.ToString("F" + decimals, CultureInfo.InvariantCulture), "training loss");
        frame.DrawXAxis(svg, NiceTicks.Integers(0, totalSteps, 8), "optimizer step (all tasks in sequence)");

        int bucket = Math.Max(1, (int)Math.Ceiling(totalSteps / (PlotWidth * PointsPerPixel)));
        int offset = 0;
        for (int i = 0; i < tasks.Count; i++)
        {
            TaskTrainingStats task = tasks[i];
            double start = frame.X(offset), end = frame.X(offset + task.Losses.Count);
            if (i > 0) svg.Line(start, frame.Top, start, frame.Bottom, "boundary");
            if (task.Losses.Count > 0)
            {
                svg.Text((start + end) / 2, frame.Top - 10, SegmentLabel(i, task.Task, end - start), "segment-label", "middle", ReportColors.Task(i));
                string path = PathData(frame, task.Losses, offset, bucket);
                if (path.Length > 0)
                {
                    svg.Path(path, ReportColors.Task(i), "loss-line", ReportColors.TaskDash(i),
                        $"{task.Task}: {Integer(task.Losses.Count)} steps, loss {Number(FirstFinite(task.Losses), "F3")} → {Number(FirstFinite(task.Losses.Reverse()), "F3")}");
                }
                // Only when step-aligned with the losses (a run resumed from an older checkpoint may lack some).
                string firstToken = task.FirstTokenLosses.Count == task.Losses.Count ? PathData(frame, task.FirstTokenLosses, offset, bucket) : "";
                if (firstToken.Length > 0)
                {
                    svg.Path(firstToken, ReportColors.Task(i), "first-token-line", "2 3",
                        $"{task.Task}: first answer token loss {Number(FirstFinite(task.FirstTokenLosses), "F3")} → {Number(FirstFinite(task.FirstTokenLosses.Reverse()), "F3")}");
                }
            }
            offset += task.Losses.Count;
        }
        html.Append("<div class=\"scroll\">").Append(svg.Close()).Append("</div></section>");
    }

    /// <summary>
    /// SVG path data for one task's losses, averaged over buckets of <paramref name="bucket"/> steps. A NaN loss
    /// (a skipped or diverged step) breaks the line rather than being drawn as zero or bridged over.
    /// </summary>
    private static string PathData(ChartFrame frame, IReadOnlyList<double> losses, int offset, int bucket)
    {
        var d = new StringBuilder();
        bool penDown = false;
        for (int from = 0; from < losses.Count; from += bucket)
        {
            int to = Math.Min(losses.Count, from + bucket);
            double sum = 0;
            int count = 0;
            for (int s = from; s < to; s++)
            {
                if (!double.IsFinite(losses[s])) continue;
                sum += losses[s];
                count++;
            }
            if (count == 0)
            {
                penDown = false;
                continue;
            }
            // A bucket is drawn at its middle step, so averaging does not shift the curve sideways.
            double x = frame.X(offset + (from + to) / 2.0);
            double y = frame.Y(sum / count);
            d.Append(penDown ? " L" : (d.Length == 0 ? "M" : " M")).Append(Coord(x)).Append(' ').Append(Coord(y));
            penDown = true;
        }
        return d.ToString();
    }

    private static string SegmentLabel(int index, string name, double width)
    {
        string full = $"{index + 1} {name}";
        // About 7 px per character; a narrow segment gets just its number, which the legend explains.
        return full.Length * 7 <= width ? full : (index + 1).ToString(CultureInfo.InvariantCulture);
    }

    private static double? FirstFinite(IEnumerable<double> values)
    {
        foreach (double v in values)
            if (double.IsFinite(v)) return v;
        return null;
    }
}

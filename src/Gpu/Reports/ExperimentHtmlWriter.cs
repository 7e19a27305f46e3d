using System.Text;
using RecurrentKif.Gpu.Experiments;
using static RecurrentKif.Gpu.Reports.HtmlText;

namespace RecurrentKif.Gpu.Reports;

/// <summary>
/// experiment.html: the variants of an experiment side by side with their spread over seeds, as one self-contained
/// page like the run report (inline CSS and SVG, well-formed XML): a chart of OP and of the accuracy right after
/// learning with ±1 std error bars and the chance level, then the table of mean ± std.
/// </summary>
public static class ExperimentHtmlWriter
{
    public static void Write(ExperimentResult result, string title, string path)
    {
        HtmlPage.Write(Render(result, title, DateTime.UtcNow), path);
    }

    public static string Render(ExperimentResult result, string title, DateTime generatedUtc)
    {
        var html = HtmlPage.Open(title, 32 * 1024)
            .Append($"<h1>{Escape(title)}</h1>")
            .Append($"<p class=\"lead\">{Escape(string.Join(" → ", result.TaskNames))} · seeds {Escape(string.Join(", ", result.Seeds))}</p>");
        AppendChance(html, result);
        VariantSpreadChart.Append(html, result);
        AppendTable(html, result);
        return HtmlPage.Close(html, "experiment report", generatedUtc);
    }

    private static void AppendChance(StringBuilder html, ExperimentResult result)
    {
        html.Append("<p class=\"note\">Chance level (1 / labels in the evaluation split): ")
            .Append(Escape(string.Join(", ", result.TaskNames.Select((t, i) => $"{t} {Percent(result.ChanceLevels[i])} %"))))
            .Append("</p>");
    }

    private static void AppendTable(StringBuilder html, ExperimentResult result)
    {
        html.Append("<section id=\"summary\"><h2>Mean ± std over seeds</h2>")
            .Append("<table class=\"numbers\"><thead><tr><th scope=\"col\" class=\"text\">variant</th><th scope=\"col\">seeds</th>")
            .Append("<th scope=\"col\">OP (%)</th><th scope=\"col\">BWT (%)</th><th scope=\"col\">FWT zero-shot (%)</th>")
            .Append("<th scope=\"col\">just learned (%)</th><th scope=\"col\">wall time (s)</th><th scope=\"col\">optimizer steps</th></tr></thead><tbody>");
        foreach (var s in result.Summaries)
            html.Append($"<tr><th scope=\"row\">{Escape(s.Variant)}</th><td>{s.Seeds}</td><td>{Escape(s.OverallPerformance.Format())}</td>")
                .Append($"<td>{Escape(s.BackwardTransfer.Format())}</td><td>{Escape(s.FwtZeroShot.Format())}</td>")
                .Append($"<td>{Escape(s.JustLearned.Format())}</td><td>{Escape(s.WallClockSeconds.Format(scale: 1))}</td><td>{Escape(s.OptimizerSteps.Format(scale: 1, format: "F0"))}</td></tr>");
        html.Append("</tbody></table><p class=\"footnote\">just learned: mean of the matrix diagonal, accuracy on each task right after ")
            .Append("learning it. Std is the sample standard deviation over seeds (none with one seed).</p></section>");
    }
}

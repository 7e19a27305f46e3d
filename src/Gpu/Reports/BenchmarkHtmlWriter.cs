using System.Text;
using RecurrentKif.Gpu.Experiments;
using static RecurrentKif.Gpu.Reports.HtmlText;

namespace RecurrentKif.Gpu.Reports;

/// <summary>
/// benchmark.html: the numbers of benchmark.md as one self-contained page like experiment.html. First the variants
/// averaged over orders (bars with whiskers, then the table beside the paper's T5-large rows), then each task
/// averaged over orders, then one section per order linking to that order's own experiment.html.
/// </summary>
public static class BenchmarkHtmlWriter
{
    public static void Write(BenchmarkResult result, string scale, string path) =>
        HtmlPage.Write(Render(result, scale, DateTime.UtcNow), path);

    public static string Render(BenchmarkResult result, string scale, DateTime generatedUtc)
    {
        var summary = BenchmarkSummary.Of(result, scale);
        string title = $"Benchmark: {summary.Benchmark}";
        var seeds = result.Orders.SelectMany(o => o.Result.Seeds).Distinct();
        var html = HtmlPage.Open(title, 64 * 1024)
            .Append($"<h1>{Escape(title)}</h1>")
            .Append($"<p class=\"lead\">orders {Escape(string.Join(", ", summary.Orders))} · seeds {Escape(string.Join(", ", seeds))}</p>")
            .Append($"<p class=\"note\">{Escape(summary.Scale)}</p>");
        VariantSpreadChart.Append(html,
            [.. summary.Averaged.Select(r => new VariantSpreadChart.Bar(r.Variant, r.JustLearned, r.OverallPerformance))],
            summary.Tasks.Select(t => t.ChanceLevel ?? double.NaN), "all order × seed runs (bars: mean over orders)");
        AppendAveraged(html, summary);
        BenchmarkHtmlTables.AppendPerTask(html, summary);
        foreach (var order in summary.PerOrder) BenchmarkHtmlTables.AppendOrder(html, order);
        if (summary.Tasks.Any(t => t.EvaluatedOnDev))
            html.Append($"<p class=\"footnote\" id=\"dev-footnote\">{DevMark} evaluated on its dev split: no test split is available for this task.</p>");
        return HtmlPage.Close(html, "benchmark report", generatedUtc);
    }

    private static void AppendAveraged(StringBuilder html, BenchmarkSummary summary)
    {
        html.Append($"<section id=\"averaged\"><h2>Averaged over {summary.Orders.Count} orders, beside the paper</h2>")
            .Append("<table class=\"numbers\"><thead><tr><th scope=\"col\" class=\"text\">variant</th><th scope=\"col\">orders</th><th scope=\"col\">runs</th>")
            .Append("<th scope=\"col\">OP (%)</th><th scope=\"col\">BWT (%)</th><th scope=\"col\">just learned (%)</th><th scope=\"col\">wall time, all runs</th>")
            .Append("<th scope=\"col\" class=\"text\">paper (T5-large)</th><th scope=\"col\">paper OP (%)</th><th scope=\"col\">paper BWT (%)</th></tr></thead><tbody>");
        foreach (var r in summary.Averaged)
        {
            html.Append($"<tr><th scope=\"row\">{Escape(r.Variant)}</th><td>{r.Orders}</td><td>{r.Runs}</td>")
                .Append($"<td>{Escape(r.OverallPerformance.Format())}</td><td>{Escape(r.BackwardTransfer.Format())}</td><td>{Escape(r.JustLearned.Format())}</td>")
                .Append($"<td>{Escape(r.WallClockSecondsTotal is double s ? Duration(s) : Missing)}</td>")
                .Append($"<td class=\"text\" style=\"text-align:left\">{Escape(r.Paper.Label)}</td>")
                .Append($"<td>{PaperRow.Number(r.Paper.Row?.OverallPerformancePercent)}</td><td>{PaperRow.Number(r.Paper.Row?.BackwardTransferPercent)}</td></tr>");
        }
        html.Append("</tbody></table><p class=\"footnote\">Paper only, not implemented here: ")
            .Append(Escape(string.Join(", ", summary.PaperOnly.Select(p => p.Format()))))
            .Append(". OP, BWT, just learned: mean over orders of each order&#x2019;s mean over seeds, ± sample std over all order × seed runs. ")
            .Append("Paper: Recurrent-KIF (Feng et al., ACL 2025), T5-large, mean of its 3 orders: another model and scale than ours. ")
            .Append("Only the plain Recurrent-KIF variant (first outer mode, no ablation) stands beside the paper&#x2019;s Recurrent-KIF row.</p></section>");
    }
}

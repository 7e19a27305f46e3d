using System.Text.Json;
using System.Xml.Linq;
using RecurrentKif.Gpu.Experiments;
using RecurrentKif.Gpu.Reports;
using static RecurrentKif.Gpu.Tests.Experiments.BenchmarkSamples;

namespace RecurrentKif.Gpu.Tests.Experiments;

/// <summary>benchmark.json and benchmark.html hold the table's numbers and every run's matrix.</summary>
public sealed class BenchmarkFilesTests
{
    [Fact]
    public void TheJsonHoldsTheTableAndEveryRunsMatrix()
    {
        using var json = JsonDocument.Parse(BenchmarkJson.Serialize(Result(), Scale));
        var root = json.RootElement;
        Assert.Equal("standard", root.GetProperty("benchmark").GetString());
        Assert.Equal(Scale, root.GetProperty("scale").GetString());
        Assert.Equal(["standard-1", "standard-2"], root.GetProperty("orders").EnumerateArray().Select(o => o.GetString()));
        Assert.Equal([false, true], root.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("evaluatedOnDev").GetBoolean()));

        var seq = root.GetProperty("averaged")[0];
        Assert.Equal("SeqLora", seq.GetProperty("variant").GetString());
        Assert.Equal(0.55, seq.GetProperty("overallPerformance").GetProperty("mean").GetDouble(), 12);
        Assert.Equal(43.7, seq.GetProperty("paper").GetProperty("row").GetProperty("overallPerformancePercent").GetDouble(), 12);
        Assert.Equal(0.65, root.GetProperty("perTask")[0].GetProperty("tasks")[0].GetProperty("final").GetProperty("mean").GetDouble(), 12);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("paperOnly")[2].GetProperty("backwardTransferPercent").ValueKind);

        // Each order's experiment as its experiment.json has it: order 2 runs in its own task order (beta, alpha).
        var second = root.GetProperty("experiments")[1];
        Assert.Equal("standard-2", second.GetProperty("order").GetString());
        var experiment = second.GetProperty("experiment");
        Assert.Equal(ExperimentJson.FormatVersion, experiment.GetProperty("formatVersion").GetInt32());
        Assert.Equal(["beta", "alpha"], experiment.GetProperty("tasks").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(3, experiment.GetProperty("runs").GetArrayLength());
        Assert.Equal(0.2, experiment.GetProperty("runs")[0].GetProperty("accuracies")[1][0].GetDouble(), 12);
    }

    [Fact]
    public void TheHtmlPageIsWellFormedAndLinksEachOrder()
    {
        string html = BenchmarkHtmlWriter.Render(Result(), Scale, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        const string doctype = "<!DOCTYPE html>";
        var root = XDocument.Parse(html[doctype.Length..]).Root!;
        var rows = root.Descendants().Where(e => e.Name.LocalName == "tr").ToList();
        Assert.Contains(rows, r => r.Value.Contains("SeqLora") && r.Value.Contains("55.0 ± 4.1") && r.Value.Contains("43.7"));
        Assert.Contains(rows, r => r.Value.Contains("SeqLora") && r.Value.Contains("85.0 → 65.0"));
        var links = root.Descendants().Where(e => e.Name.LocalName == "a").Select(a => a.Attribute("href")?.Value).ToList();
        Assert.Equal(["standard-1/experiment.html", "standard-2/experiment.html"], links);
        Assert.Contains(root.Descendants(), e => e.Name.LocalName == "svg");
        Assert.Contains("MIGU 76.6", html);
        Assert.Contains("<sup>†</sup>", html);
    }
}

using System.Globalization;
using System.Xml.Linq;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Reports;
using RecurrentKif.Gpu.Tests.Data;

namespace RecurrentKif.Gpu.Tests.Reports;

public class HtmlReportWriterTests
{
    private const string Dash = "–";

    [Fact]
    public void PageParsesAsXmlWithEverySvgClosed()
    {
        var page = new RenderedPage(SampleRuns.Complete());

        // Bar chart, loss chart, and one mask chart per task that fused (tasks 2 and 3).
        Assert.Equal(4, page.Elements("svg").Count());
        Assert.Equal(page.Html.Split("<svg ").Length - 1, page.Html.Split("</svg>").Length - 1);
    }

    [Fact]
    public void StringsFromDataAreEscaped()
    {
        var page = new RenderedPage(SampleRuns.Complete());

        Assert.DoesNotContain("<script", page.Html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;x&lt;/script&gt;", page.Html);
        // Parsed back, the text is exactly what the data said: escaped, not dropped or mangled.
        Assert.Equal("Sample & <run>", page.Elements("h1").Single().Value);
        var settings = page.WithClass("table", "settings").First().Descendants("tr")
            .ToDictionary(r => r.Element("th")!.Value, r => r.Element("td")!.Value);
        Assert.Equal("a \"quoted\" <script>alert(1)</script>", settings["note<b>"]);
        Assert.Equal("8", settings["rank"]);
    }

    [Fact]
    public void PageNeedsNothingFromTheNetwork()
    {
        var page = new RenderedPage(SampleRuns.Complete());

        Assert.Empty(page.Elements("script"));
        Assert.Empty(page.Elements("link"));
        Assert.DoesNotContain(page.Root.Descendants().Attributes(), a => a.Name.LocalName is "src" or "href");
        Assert.DoesNotContain("url(", page.Html);
        Assert.DoesNotContain("@import", page.Html);
    }

    [Fact]
    public void HeaderShowsTheMetricsFormattedAsInThePlainTextTables()
    {
        var data = SampleRuns.Complete();
        var page = new RenderedPage(data);

        // The plain-text table's metric line: "OP 80.0  BWT -13.1  FWT (zero-shot) 20.0".
        string line = ContinualReportWriter.FormatMatrix(data.Report).Split('\n').Single(l => l.StartsWith("OP ", StringComparison.Ordinal));
        string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["80.0", "-13.1", "20.0"], [words[1], words[3], words[6]]);
        Assert.Equal(words[1] + "%", MetricValue(page, "op"));
        Assert.Equal(words[3] + "%", MetricValue(page, "bwt"));
        Assert.Equal(words[6] + "%", MetricValue(page, "fwt"));
        Assert.Contains("1 h 02 min", page.Html); // 3725.5 s of wall time
    }

    [Fact]
    public void MatrixShowsEveryMeasuredCellAndADashForTheUnmeasuredOne()
    {
        var page = new RenderedPage(SampleRuns.Complete());

        var rows = page.WithClass("table", "heatmap").Single().Element("tbody")!.Elements("tr").ToArray();
        string[][] expected = [["81.2", "10.0", Dash], ["70.0", "90.0", "30.0"], ["60.0", "85.0", "95.0"]];
        Assert.Equal(3, rows.Length);
        for (int j = 0; j < 3; j++)
        {
            Assert.Equal("after " + SampleRuns.Names[j], rows[j].Element("th")!.Value);
            Assert.Equal(expected[j], rows[j].Elements("td").Select(td => td.Value));
        }
        XElement unmeasured = rows[0].Elements("td").Last();
        Assert.Contains("unmeasured", (string?)unmeasured.Attribute("class"));
        Assert.Null(unmeasured.Attribute("style")); // no heat colour for a value that does not exist
        Assert.Contains("background:", (string?)rows[0].Elements("td").First().Attribute("style"));
        Assert.DoesNotContain("NaN", page.Html);
    }

    [Fact]
    public void MatrixEndsWithEachTasksChanceLevel()
    {
        var sample = SampleRuns.Complete();
        var tasks = SampleRuns.Names.Select((n, i) => new ContinualTask(n, [], [],
            Enumerable.Range(0, 6).Select(k => new TaskExample($"{n}{k}", "", "", $"label{k % (i + 2)}")).ToArray(), false)).ToArray();
        var report = ContinualReport.Create("recurrent-kif", tasks, sample.Report.Accuracies, 1);
        var page = new RenderedPage(sample with { Report = report });

        var table = page.WithClass("table", "heatmap").Single();
        Assert.Equal(3, table.Element("tbody")!.Elements("tr").Count());
        var chance = table.Element("tfoot")!.Elements("tr").Single();
        Assert.Equal("chance", chance.Element("th")!.Value);
        Assert.Equal(["50.0", "33.3", "25.0"], chance.Elements("td").Select(td => td.Value));
        Assert.Null(new RenderedPage(sample).WithClass("table", "heatmap").Single().Element("tfoot"));   // unknown: no row
    }

    [Fact]
    public void DevTaskIsMarkedAndExplainedInAFootnote()
    {
        var withDev = new RenderedPage(SampleRuns.Complete(withDevTask: true));
        var withoutDev = new RenderedPage(SampleRuns.Complete(withDevTask: false));

        var headers = withDev.WithClass("table", "heatmap").Single().Element("thead")!.Descendants("th").Select(th => th.Value).ToArray();
        Assert.Equal(["accuracy %", "mnli", "dbpedia†", SampleRuns.HostileName], headers);
        Assert.Contains("evaluated on its dev split", withDev.ById("dev-footnote").Value);
        Assert.DoesNotContain("†", withoutDev.Html);
        Assert.DoesNotContain("dev-footnote", withoutDev.Html);
    }

    [Fact]
    public void BarChartPairsAccuracyRightAfterLearningWithTheFinalOne()
    {
        var page = new RenderedPage(SampleRuns.Complete());

        XElement chart = page.WithClass("svg", "bars").Single();
        var bars = chart.Descendants().Where(e => e.Name.LocalName == "rect").ToDictionary(r => r.Value, r => Height(r));
        Assert.Equal(6, bars.Count);
        Assert.Equal(0.812 / 0.6, bars["mnli: right after learning it: 81.2 %"] / bars["mnli: at the end of the run: 60.0 %"], 2);
        Assert.Contains("dbpedia: at the end of the run: 85.0 %", bars.Keys);
        // Forgetting: max(81.2, 70.0) − 60.0 for mnli, 90.0 − 85.0 for dbpedia, nothing for the last task.
        var notes = chart.Descendants().Where(e => (string?)e.Attribute("class") == "note-text").Select(e => e.Value).ToArray();
        Assert.Equal(["forgetting 21.2", "forgetting 5.0"], notes);
    }

    [Fact]
    public void LossChartHasOneLinePerTaskLaidEndToEnd()
    {
        var page = new RenderedPage(SampleRuns.Complete());

        XElement chart = page.WithClass("svg", "loss").Single();
        var lines = chart.Descendants().Where(e => (string?)e.Attribute("class") == "loss-line").ToArray();
        Assert.Equal(3, lines.Length);
        var points = lines.Select(PathPoints).ToArray();
        Assert.Equal([6, 3, 5], points.Select(p => p.Length)); // dbpedia's NaN step is left out
        for (int t = 1; t < 3; t++) Assert.True(points[t].Min(p => p.X) > points[t - 1].Max(p => p.X), "tasks overlap on the x axis");
        // Loss falls within each task, so the line goes down the page (SVG y grows downwards).
        Assert.True(points[0][^1].Y > points[0][0].Y);
        Assert.Equal(3, lines.Select(l => (string?)l.Attribute("stroke")).Distinct().Count());
        Assert.Equal(2, chart.Descendants().Count(e => (string?)e.Attribute("class") == "boundary"));
        Assert.Contains("training loss", PlainText(chart));
    }

    [Fact]
    public void FirstTokenLossIsDrawnNextToTheLossWhereRecorded()
    {
        var page = new RenderedPage(SampleRuns.Complete());

        XElement chart = page.WithClass("svg", "loss").Single();
        var lines = chart.Descendants().Where(e => (string?)e.Attribute("class") == "first-token-line").ToArray();
        // Only mnli recorded first-token losses in the sample.
        XElement line = Assert.Single(lines);
        Assert.Equal(6, PathPoints(line).Length);
        Assert.Equal((string?)chart.Descendants().First(e => (string?)e.Attribute("class") == "loss-line").Attribute("stroke"), (string?)line.Attribute("stroke"));
        Assert.Contains("first answer token", page.ById("loss").Value);
    }

    [Fact]
    public void ANaNLossBreaksTheLineRatherThanDrawingZero()
    {
        var page = new RenderedPage(SampleRuns.Complete());

        string dbpedia = (string)page.WithClass("path", "loss-line").ElementAt(1).Attribute("d")!;
        Assert.Equal(2, dbpedia.Count(c => c == 'M'));
    }

    [Fact]
    public void MaskChartsStackTheSharesOfEachFusionCycle()
    {
        var page = new RenderedPage(SampleRuns.Complete());

        var figures = page.WithClass("figure", "mask-task").ToArray();
        Assert.Equal(3, figures.Length);
        Assert.Contains("first task", figures[0].Value);
        Assert.DoesNotContain(figures[0].Descendants(), e => e.Name.LocalName == "svg");

        var segments = figures[1].Descendants().Where(e => (string?)e.Attribute("class") == "share").ToArray();
        Assert.Equal(8, segments.Length); // 2 cycles × 4 categories
        var cycleOne = segments.Where(s => s.Value.StartsWith("cycle 1,", StringComparison.Ordinal))
            .ToDictionary(s => s.Value, Height);
        double full = cycleOne.Values.Sum();
        Assert.Equal(0.10, cycleOne["cycle 1, in only: 10.0 %"] / full, 6);
        Assert.Equal(0.20, cycleOne["cycle 1, out only: 20.0 %"] / full, 6);
        Assert.Equal(0.30, cycleOne["cycle 1, both: 30.0 %"] / full, 6);
        Assert.Equal(0.40, cycleOne["cycle 1, neither: 40.0 %"] / full, 6);

        // Means over cycles, columns both / in only / out only / neither.
        Assert.Equal(["25.0", "15.0", "20.0", "40.0"], MeanShares(figures[1]));
        // A fusion that counted nothing draws no bar and does not drag the means down.
        Assert.Equal(8, figures[2].Descendants().Count(e => (string?)e.Attribute("class") == "share"));
        Assert.Equal(["22.5", "32.5", "27.5", "17.5"], MeanShares(figures[2]));
    }

    [Fact]
    public void NoFusionNoteNamesTheMethodForALaterTask()
    {
        var data = SampleRuns.Complete();
        var stats = data.Tasks.Select((t, i) => i == 1 ? t with { FusionShares = [] } : t).ToArray();
        var page = new RenderedPage(data with { Tasks = stats, Report = data.Report with { Method = "static-importance" } });

        var notes = page.WithClass("p", "no-fusion").Select(p => p.Value).ToArray();
        Assert.Equal(2, notes.Length);
        Assert.Contains("first task", notes[0]);
        Assert.Contains("static-importance does not fuse", notes[1]);
        Assert.Single(page.WithClass("svg", "masks"));
    }

    [Fact]
    public void ARunWithoutAnyFusionGetsOneNoteInsteadOfOnePerTask()
    {
        var data = SampleRuns.Complete();
        var stats = data.Tasks.Select(t => t with { FusionShares = [] }).ToArray();
        var page = new RenderedPage(data with { Tasks = stats, Report = data.Report with { Method = "seq-lora" } });

        Assert.Contains("seq-lora does not fuse", page.WithClass("p", "no-fusion").Single().Value);
        Assert.Empty(page.WithClass("figure", "mask-task"));
    }

    [Fact]
    public void TaskTableShowsTheStatsAndDashesWhatIsMissing()
    {
        var page = new RenderedPage(SampleRuns.Complete());

        var rows = page.ById("tasks").Descendants("tbody").Single().Elements("tr")
            .Select(r => r.Elements().Select(c => c.Value).ToArray()).ToArray();
        Assert.Equal(["1", "mnli", "6", "0", "0", "0.5200", "0.5500", "62.5", "4", "10.0 s", "1,200"], rows[0]);
        // dbpedia: no best loss (null), a NaN last loss, never validated, and zero seconds (no rate).
        Assert.Equal(["2", "dbpedia", "4", "2", "2", Dash, Dash, Dash, "4", "0.0 s", Dash], rows[1]);
        Assert.Equal(SampleRuns.HostileName, rows[2][1]);
    }

    [Fact]
    public void RunInProgressListsPendingTasksAndDashesMetricsItCannotHaveYet()
    {
        var page = new RenderedPage(SampleRuns.Complete(trainedTasks: 2, lastRowMeasured: false));

        Assert.Equal(Dash, MetricValue(page, "op"));
        Assert.Equal(Dash, MetricValue(page, "bwt"));
        Assert.Equal("20.0%", MetricValue(page, "fwt")); // needs only a[0,1] and a[1,2], both measured
        Assert.Contains("2 of 3 tasks trained", page.WithClass("p", "banner").Single().Value);
        var pending = page.WithClass("tr", "pending").Single();
        Assert.Equal(SampleRuns.HostileName, pending.Element("th")!.Value);
        Assert.Equal(2, page.WithClass("path", "loss-line").Count());
        Assert.Equal(3, page.WithClass("td", "unmeasured").Count(td => td.Parent!.Element("th")!.Value == "after " + SampleRuns.HostileName));
    }

    [Fact]
    public void WriteCreatesTheFolderAndWritesTheRenderedPage()
    {
        using var folder = new TempDirectory();
        string path = Path.Combine(folder.Path, "reports", "run.html");
        var data = SampleRuns.Complete();

        HtmlReportWriter.Write(data, path);

        byte[] bytes = File.ReadAllBytes(path);
        Assert.False(bytes is [0xEF, 0xBB, 0xBF, ..], "a byte-order mark would come before the doctype");
        Assert.Equal(HtmlReportWriter.Render(data), File.ReadAllText(path));
    }

    private static string MetricValue(RenderedPage page, string id) =>
        RenderedPage.VisibleText(page.ById("metric-" + id).Descendants().Single(e => (string?)e.Attribute("class") == "metric-value"));

    private static string[] MeanShares(XElement figure) =>
        figure.Descendants("table").Single().Descendants("td").Select(td => td.Value).ToArray();

    private static string PlainText(XElement element) => RenderedPage.VisibleText(element);

    private static double Height(XElement rect) => double.Parse((string)rect.Attribute("height")!, CultureInfo.InvariantCulture);

    /// <summary>The points of a path made of M/L commands, in SVG coordinates.</summary>
    private static (double X, double Y)[] PathPoints(XElement path)
    {
        string[] numbers = ((string)path.Attribute("d")!).Replace("M", " ").Replace("L", " ")
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return Enumerable.Range(0, numbers.Length / 2)
            .Select(k => (double.Parse(numbers[2 * k], CultureInfo.InvariantCulture), double.Parse(numbers[2 * k + 1], CultureInfo.InvariantCulture)))
            .ToArray();
    }
}

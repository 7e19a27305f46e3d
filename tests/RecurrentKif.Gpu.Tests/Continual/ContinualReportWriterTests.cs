using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Tests.Data;

namespace RecurrentKif.Gpu.Tests.Continual;

public class ContinualReportWriterTests
{
    private static readonly string[] Names = ["mnli", "dbpedia", "agnews"];

    private static ContinualReport Report(string method, double offset = 0, double[]? singleTask = null)
    {
        var matrix = new AccuracyMatrix(Names);
        double[][] rows = [[0.812, 0.1, 0.2], [0.7, 0.9, 0.3], [0.6, 0.85, 0.95]];
        for (int j = 0; j < 3; j++)
            for (int i = 0; i < 3; i++) matrix[j, i] = rows[j][i] - offset;
        matrix[1, 2] = double.NaN;
        var tasks = Names.Select(n => new ContinualTask(n, [], [], [], EvaluatedOnDev: n == "dbpedia")).ToArray();
        var extras = new Dictionary<string, double> { ["fusions"] = 7, ["unmeasured"] = double.NaN };
        return ContinualReport.Create(method, tasks, matrix, wallClockSeconds: 123.4, extras, singleTask);
    }

    [Fact]
    public void CreateComputesTheMetricsAndTakesTheDevFlagsFromTheTasks()
    {
        var report = Report("seq-lora");

        Assert.Equal([false, true, false], report.EvaluatedOnDev);
        Assert.Equal(0.8, report.Metrics.OverallPerformance!.Value, 12);
        Assert.Null(report.Metrics.FwtZeroShot); // needs the NaN cell a[1,2]
    }

    [Fact]
    public void CreateRejectsAMatrixOfAnotherSequence()
    {
        var tasks = new[] { new ContinualTask("cb", [], [], [], false) };
        Assert.Throws<ArgumentException>(() => ContinualReport.Create("m", tasks, new AccuracyMatrix(["rte"]), 1));
    }

    [Fact]
    public void JsonRoundTripKeepsEverythingAndWritesNaNAsNull()
    {
        using var folder = new TempDirectory();
        string path = Path.Combine(folder.Path, "sub", "reports.json");
        ContinualReport[] written = [Report("recurrent-kif", singleTask: [0.8, 0.9, 0.9]), Report("seq-lora", offset: 0.05)];

        ContinualReportWriter.WriteJson(written, path);
        var read = ContinualReportWriter.ReadJson(path);

        string json = File.ReadAllText(path);
        Assert.DoesNotContain("NaN", json);
        Assert.Contains("null", json);
        Assert.Contains("\n  ", json); // indented
        Assert.Equal(written.Length, read.Count);
        for (int r = 0; r < written.Length; r++)
        {
            ContinualReport a = written[r], b = read[r];
            Assert.Equal(a.Method, b.Method);
            Assert.Equal(a.TaskNames, b.TaskNames);
            Assert.Equal(a.Accuracies.TaskNames, b.Accuracies.TaskNames);
            Assert.Equal(a.Accuracies.ToRows(), b.Accuracies.ToRows()); // NaN equals NaN for doubles
            Assert.True(double.IsNaN(b.Accuracies[1, 2]));
            Assert.Equal(a.Metrics.OverallPerformance, b.Metrics.OverallPerformance);
            Assert.Equal(a.Metrics.BackwardTransfer, b.Metrics.BackwardTransfer);
            Assert.Equal(a.Metrics.FwtZeroShot, b.Metrics.FwtZeroShot);
            Assert.Equal(a.Metrics.FwtVersusSingleTask, b.Metrics.FwtVersusSingleTask);
            Assert.Equal(a.Metrics.FinalAccuracies, b.Metrics.FinalAccuracies);
            Assert.Equal(a.Metrics.Forgetting, b.Metrics.Forgetting);
            Assert.Equal(a.Metrics.TaskCount, b.Metrics.TaskCount);
            Assert.Equal(a.WallClockSeconds, b.WallClockSeconds);
            Assert.Equal(a.EvaluatedOnDev, b.EvaluatedOnDev);
            Assert.Equal(7, b.Extras["fusions"]);
            Assert.True(double.IsNaN(b.Extras["unmeasured"]));
            Assert.Equal(a.Extras.Count, b.Extras.Count);
        }
        Assert.NotNull(read[0].Metrics.FwtVersusSingleTask);
    }

    [Fact]
    public void ReadingSomethingElseFailsWithThePath()
    {
        using var folder = new TempDirectory();
        string path = folder.WriteFile("bad.json", "{\"formatVersion\": 1, \"reports\": [{\"method\": \"m\", \"taskNames\": [\"a\"], \"accuracies\": [[0.5, 0.5]]}]}");

        var error = Assert.Throws<InvalidDataException>(() => ContinualReportWriter.ReadJson(path));

        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void MatrixTableShowsPercentRowsAfterEachTaskAndMarksDevEvaluatedTasks()
    {
        string table = ContinualReportWriter.FormatMatrix(Report("recurrent-kif"));
        string[] lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

        string header = lines.Single(l => l.StartsWith("accuracy %", StringComparison.Ordinal));
        Assert.Contains("dbpedia†", header);
        Assert.DoesNotContain("mnli†", header);
        Assert.DoesNotContain("agnews†", header);
        string firstRow = lines.Single(l => l.StartsWith("after mnli", StringComparison.Ordinal));
        Assert.Contains("81.2", firstRow);
        string secondRow = lines.Single(l => l.StartsWith("after dbpedia", StringComparison.Ordinal));
        Assert.EndsWith(" -", secondRow); // the NaN cell a[1,2]
        Assert.Contains(lines, l => l.StartsWith("after agnews", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith('†') && l.Contains("dev", StringComparison.Ordinal));
        Assert.Contains("OP 80.0", table);
        // Fixed width: the header and every row line up.
        Assert.All(lines.Where(l => l.StartsWith("after ", StringComparison.Ordinal)), l => Assert.Equal(header.Length, l.Length));
    }

    [Fact]
    public void MatrixTableShowsEachTasksChanceLevelFromItsEvaluationLabels()
    {
        static TaskExample[] Labels(params string[] labels) => labels.Select((l, i) => new TaskExample($"x{i}", "", "", l)).ToArray();
        var tasks = new[]
        {
            new ContinualTask("sst-2", [], [], Labels("Good", "Bad", "Good"), false),
            new ContinualTask("mnli", [], [], Labels("neutral", "entailment", "contradiction", "neutral"), false),
        };
        var matrix = new AccuracyMatrix(["sst-2", "mnli"]) { [0, 0] = 0.9, [0, 1] = 0.3, [1, 0] = 0.8, [1, 1] = 0.7 };
        var report = ContinualReport.Create("m", tasks, matrix, 1);

        string table = ContinualReportWriter.FormatMatrix(report);
        string[] lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

        Assert.Equal([0.5, 1.0 / 3], report.ChanceLevels);
        string chance = lines.Single(l => l.StartsWith("chance", StringComparison.Ordinal));
        Assert.Contains("50.0", chance);
        Assert.EndsWith("33.3", chance);
        string header = lines.Single(l => l.StartsWith("accuracy %", StringComparison.Ordinal));
        Assert.Equal(header.Length, chance.Length);
    }

    [Fact]
    public void ChanceLevelsSurviveTheJsonRoundTripAndOldFilesHaveNone()
    {
        using var folder = new TempDirectory();
        string path = Path.Combine(folder.Path, "r.json");
        var tasks = new[] { new ContinualTask("cb", [], [], [new TaskExample("a", "", "", "x"), new TaskExample("b", "", "", "y")], false) };
        var report = ContinualReport.Create("m", tasks, new AccuracyMatrix(["cb"]) { [0, 0] = 0.5 }, 1);

        ContinualReportWriter.WriteJson([report], path);
        Assert.Equal([0.5], ContinualReportWriter.ReadJson(path)[0].ChanceLevels);

        string old = folder.WriteFile("old.json", File.ReadAllText(path).Replace("\"chanceLevels\"", "\"ignoredField\"", StringComparison.Ordinal));
        var read = ContinualReportWriter.ReadJson(old)[0];
        Assert.Empty(read.ChanceLevels);
        Assert.DoesNotContain("chance", ContinualReportWriter.FormatMatrix(read));
    }

    [Fact]
    public void PerStepLossesFirstTokenLossesAndValidationsAreKeptInTheFile()
    {
        using var folder = new TempDirectory();
        string path = Path.Combine(folder.Path, "r.json");
        var stats = new TaskTrainingStats("mnli", 3, 0, [], 0.5, 0.6, 2, 10, 1, [1.5, 1.2, 1.0])
        {
            FirstTokenLosses = [1.1, double.NaN, 0.6],
            Validations = [new ValidationPoint(2, 0.5, 2.0 / 3)],
        };
        var report = Report("recurrent-kif") with { Training = TaskTrainingCurves.Of([stats]) };

        ContinualReportWriter.WriteJson([report], path);
        var read = ContinualReportWriter.ReadJson(path)[0];

        Assert.DoesNotContain("NaN", File.ReadAllText(path));
        var curves = Assert.Single(read.Training);
        Assert.Equal("mnli", curves.Task);
        Assert.Equal([1.5, 1.2, 1.0], curves.Losses);
        Assert.Equal([1.1, double.NaN, 0.6], curves.FirstTokenLosses);
        Assert.Equal(stats.Validations, curves.Validations);
        Assert.Empty(Report("m").Training);
    }

    [Fact]
    public void MatrixTableHasNoDevFootnoteWhenEveryTaskHadATestSplit()
    {
        var matrix = new AccuracyMatrix(["cb"]) { [0, 0] = 0.5 };
        var report = ContinualReport.Create("m", [new ContinualTask("cb", [], [], [], false)], matrix, 1);

        Assert.DoesNotContain("†", ContinualReportWriter.FormatMatrix(report));
    }

    [Fact]
    public void ComparisonIsAMarkdownTableWithOneRowPerMethod()
    {
        string table = ContinualReportWriter.FormatComparison([Report("recurrent-kif"), Report("seq-lora", offset: 0.05)]);
        string[] lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

        Assert.StartsWith("| method |", lines[0]);
        Assert.Contains("OP", lines[0]);
        Assert.Contains("BWT", lines[0]);
        Assert.Contains("FWT zero-shot", lines[0]);
        Assert.Contains("wall time", lines[0]);
        Assert.StartsWith("|---", lines[1]);
        Assert.Equal("| recurrent-kif | 3† | 80.0 | -13.1 | - | 123.4 |", lines[2]);
        Assert.Equal("| seq-lora | 3† | 75.0 | -13.1 | - | 123.4 |", lines[3]);
        Assert.Contains(lines, l => l.StartsWith('†'));
    }
}

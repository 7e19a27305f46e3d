using System.Text.Json;
using System.Xml.Linq;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Experiments;
using RecurrentKif.Gpu.Reports;

namespace RecurrentKif.Gpu.Tests.Experiments;

public sealed class ExperimentSummaryTests
{
    private static readonly string[] Names = ["review", "topic"];

    private static ContinualReport Report(double[][] rows, double seconds)
    {
        var matrix = new AccuracyMatrix(Names);
        for (int j = 0; j < 2; j++)
            for (int i = 0; i < 2; i++) matrix[j, i] = rows[j][i];
        var extras = new Dictionary<string, double> { ["innerSteps"] = 10, ["outerSteps"] = 4 };
        return new ContinualReport("x", Names, matrix, ContinualMetrics.From(matrix), seconds, [false, false], extras);
    }

    // Seed 1: OP 0.75, BWT −0.2, FWT 0.1, diagonal 0.85, 10 s. Seed 2: OP 0.65, BWT 0.0, FWT 0.3, diagonal 0.65, 14 s.
    private static readonly ExperimentRun[] TwoSeeds =
    [
        new("RecurrentKif[Frozen]", 1, Report([[0.8, 0.1], [0.6, 0.9]], 10)),
        new("RecurrentKif[Frozen]", 2, Report([[0.6, 0.3], [0.6, 0.7]], 14)),
    ];

    [Fact]
    public void MeanAndSampleStdMatchHandComputedValues()
    {
        var spread = SeedSpread.Of([0.5, 0.7, 0.9]);
        Assert.Equal(0.7, spread.Mean!.Value, 12);
        Assert.Equal(0.2, spread.Std!.Value, 12);     // √((0.2² + 0 + 0.2²) / (3 − 1))
        Assert.Equal(3, spread.Count);
        Assert.Equal("70.0 ± 20.0", spread.Format());
    }

    [Fact]
    public void OneSeedHasNoSpreadAndUndefinedValuesAreLeftOut()
    {
        var one = SeedSpread.Of([0.25, null, double.NaN]);
        Assert.Equal(0.25, one.Mean);
        Assert.Null(one.Std);
        Assert.Equal(1, one.Count);
        Assert.Equal("25.0", one.Format());
        Assert.Equal("-", SeedSpread.Of(new double?[] { null }).Format());
    }

    [Fact]
    public void AVariantSummaryAveragesItsSeeds()
    {
        var s = VariantSummary.Of("RecurrentKif[Frozen]", TwoSeeds);
        double spreadOfTwo = Math.Sqrt(0.02);       // two values 0.2 apart: √(2 · 0.1² / 1)
        Assert.Equal(2, s.Seeds);
        Assert.Equal(0.70, s.OverallPerformance.Mean!.Value, 12);
        Assert.Equal(Math.Sqrt(0.005), s.OverallPerformance.Std!.Value, 12);  // 0.75 and 0.65
        Assert.Equal(-0.1, s.BackwardTransfer.Mean!.Value, 12);
        Assert.Equal(spreadOfTwo, s.BackwardTransfer.Std!.Value, 12);
        Assert.Equal(0.2, s.FwtZeroShot.Mean!.Value, 12);
        Assert.Equal(spreadOfTwo, s.FwtZeroShot.Std!.Value, 12);
        Assert.Equal(0.75, s.JustLearned.Mean!.Value, 12);
        Assert.Equal(spreadOfTwo, s.JustLearned.Std!.Value, 12);
        Assert.Equal(12, s.WallClockSeconds.Mean!.Value, 12);
        Assert.Equal(Math.Sqrt(8), s.WallClockSeconds.Std!.Value, 12);
        Assert.Equal(14, s.OptimizerSteps.Mean!.Value, 12);
    }

    [Fact]
    public void MultiTaskHasNoDiagonal()
    {
        var matrix = new AccuracyMatrix(Names);
        matrix[1, 0] = 0.9;
        matrix[1, 1] = 0.8;
        var run = new ExperimentRun("MultiTask", 1, new ContinualReport("x", Names, matrix, ContinualMetrics.From(matrix), 1, [false, false], new Dictionary<string, double>()));
        Assert.Null(run.JustLearnedMean);
        Assert.Null(run.OptimizerSteps);
    }

    [Fact]
    public void ChanceLevelIsOneOverTheDistinctLabelsOfTheEvaluationSplit()
    {
        TaskExample Example(string output) => new("id", "", "in", output);
        var task = new ContinualTask("t", [Example("a")], [], [Example("a"), Example("b"), Example(" a "), Example("c")], false);
        Assert.Equal(1.0 / 3, ExperimentResult.ChanceLevel(task), 12);
    }

    private static ExperimentResult Result()
    {
        TaskExample Example(string output) => new("id", "", "in", output);
        ContinualTask[] tasks = [new("review", [], [], [Example("good"), Example("bad")], false), new("topic", [], [], [Example("a"), Example("b"), Example("c"), Example("d")], false)];
        ExperimentVariant[] variants = [new(ContinualMethod.SeqLora), new(ContinualMethod.RecurrentKif, OuterUpdateMode.Frozen)];
        var result = ExperimentResult.Start(tasks, variants, [1, 2]);
        foreach (var run in TwoSeeds) result = result.With(run);
        return result;
    }

    [Fact]
    public void TheMarkdownTableShowsChanceAndMeanPlusMinusStd()
    {
        string table = ExperimentTables.Comparison(Result());
        Assert.Contains("review 50.0 %, topic 25.0 %", table);
        Assert.Contains("| RecurrentKif[Frozen] | 2 | 70.0 ± 7.1 | -10.0 ± 14.1 | 20.0 ± 14.1 | 75.0 ± 14.1 | 12.0 ± 2.8 | 14 ± 0 |", table);
        Assert.DoesNotContain("| SeqLora |", table); // no run yet: no row
    }

    [Fact]
    public void TheJsonHoldsEveryRunAndTheSummary()
    {
        using var json = JsonDocument.Parse(ExperimentJson.Serialize(Result()));
        var root = json.RootElement;
        Assert.Equal(2, root.GetProperty("runs").GetArrayLength());
        Assert.Equal(0.6, root.GetProperty("runs")[1].GetProperty("accuracies")[0][0].GetDouble(), 12);
        var summary = root.GetProperty("summary")[0];
        Assert.Equal("RecurrentKif[Frozen]", summary.GetProperty("variant").GetString());
        Assert.Equal(0.7, summary.GetProperty("overallPerformance").GetProperty("mean").GetDouble(), 12);
    }

    [Fact]
    public void TheHtmlPageIsWellFormedAndListsTheVariants()
    {
        string html = ExperimentHtmlWriter.Render(Result(), "Experiment <x>", new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        const string doctype = "<!DOCTYPE html>";
        var root = XDocument.Parse(html[doctype.Length..]).Root!;
        var rows = root.Descendants().Where(e => e.Name.LocalName == "tr").ToList();
        Assert.Contains(rows, r => r.Value.Contains("RecurrentKif[Frozen]") && r.Value.Contains("70.0 ± 7.1"));
        Assert.Contains(root.Descendants(), e => e.Name.LocalName == "svg");
        Assert.Contains("Experiment &lt;x&gt;", html);
    }
}

using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Experiments;
using static RecurrentKif.Gpu.Tests.Experiments.BenchmarkSamples;

namespace RecurrentKif.Gpu.Tests.Experiments;

public sealed class BenchmarkTablesTests
{
    [Fact]
    public void AveragesAreMeansOverOrdersWithTheSpreadOverAllRuns()
    {
        var summary = BenchmarkSummary.Of(Result(), Scale);
        Assert.Equal([SeqLora.Name, Kif.Name], summary.Averaged.Select(r => r.Variant));

        var seq = summary.Averaged[0];
        Assert.Equal((2, 4), (seq.Orders, seq.Runs));
        Assert.Equal(0.55, seq.OverallPerformance.Mean!.Value, 12);
        Assert.Equal(Math.Sqrt(0.005 / 3), seq.OverallPerformance.Std!.Value, 12);   // 0.55, 0.55, 0.6, 0.5
        Assert.Equal(-0.45, seq.BackwardTransfer.Mean!.Value, 12);                    // orders −0.4 and −0.5
        Assert.Equal(0.775, seq.JustLearned.Mean!.Value, 12);                         // orders 0.75 and 0.8
        Assert.Equal(140, seq.WallClockSecondsTotal!.Value, 12);

        // Order 2 has only one RecurrentKif run: the mean over orders (0.8, 0.9) is not the mean over runs (0.8333…).
        var kif = summary.Averaged[1];
        Assert.Equal((2, 3), (kif.Orders, kif.Runs));
        Assert.Equal(0.85, kif.OverallPerformance.Mean!.Value, 12);
        Assert.Equal(-0.025, kif.BackwardTransfer.Mean!.Value, 12);
        Assert.Equal(3, kif.OverallPerformance.Count);
    }

    [Fact]
    public void PerTaskCellsFollowTheTaskByNameAcrossOrders()
    {
        var summary = BenchmarkSummary.Of(Result(), Scale);
        Assert.Equal(["alpha", "beta"], summary.Tasks.Select(t => t.Name));
        var seqAlpha = summary.PerTask[0].Tasks[0];
        Assert.Equal(0.85, seqAlpha.JustLearned.Mean!.Value, 12);   // order 1: a[0,0] 0.8; order 2: a[1,1] 0.9
        Assert.Equal(0.65, seqAlpha.Final.Mean!.Value, 12);         // order 1: 0.4; order 2: 0.9 (alpha comes last)
        var kifBeta = summary.PerTask[1].Tasks[1];
        Assert.Equal(0.85, kifBeta.JustLearned.Mean!.Value, 12);
        Assert.Equal(0.85, kifBeta.Final.Mean!.Value, 12);

        var second = summary.PerOrder[1];
        Assert.Equal(["beta", "alpha"], second.Tasks.Select(t => t.Name));
        Assert.Equal(0.2, second.Rows[0].Tasks[0].Final.Mean!.Value, 12);
    }

    [Fact]
    public void TheMarkdownShowsAllThreeTablesWithPaperRowsAndDevMarks()
    {
        string text = BenchmarkTables.Markdown(Result(), Scale);
        Assert.Contains(Scale, text);
        Assert.Contains("| SeqLora | 2 | 4 | 55.0 ± 4.1 | -45.0 ± 19.1 | 77.5 ± 8.7 | 140.0 | SeqLoRA | 43.7 | -50.4 |", text);
        Assert.Contains("| RecurrentKif[Frozen] | 2 | 3 | 85.0 ± 7.6 | -2.5 ± 5.8 |", text);
        Assert.Contains("| Recurrent-KIF | 78.4 | -2.8 |", text);
        Assert.Contains("Paper only, not implemented here: O-LoRA 75.8 / -3.8, VR-MCL 76.0 / -3.7, MIGU 76.6 / –.", text);

        Assert.Contains("Chance level (1 / labels in the evaluation split): alpha 50.0 %, beta† 25.0 %", text);
        Assert.Contains("| variant | alpha | beta† |", text);
        Assert.Contains("| SeqLora | 85.0 → 65.0 | 70.0 → 45.0 |", text);
        Assert.Contains("| RecurrentKif[Frozen] | 87.5 → 85.0 | 85.0 → 85.0 |", text);

        Assert.Contains("## standard-2: beta† → alpha", text);
        Assert.Contains("| variant | seeds | OP (%) | BWT (%) | alpha | beta† |", text);
        Assert.Contains("| SeqLora | 2 | 55.0 ± 0.0 | -40.0 ± 28.3 | 80.0 → 40.0 | 70.0 → 70.0 |", text);
        Assert.Contains("† evaluated on its dev split", text);
    }

    [Fact]
    public void TheLongBenchmarkTakesTheLongColumnOfThePaper()
    {
        string text = BenchmarkTables.Averaged(BenchmarkSummary.Of(Result("long"), Scale));
        Assert.Contains("| SeqLoRA | 11.6 | -73.4 |", text);
        Assert.Contains("| Recurrent-KIF | 77.8 | -3.6 |", text);
        Assert.Contains("O-LoRA 69.6 / -4.1, VR-MCL 74.8 / -4.9, MIGU 76.5 / –", text);
        Assert.DoesNotContain("43.7", text);
    }

    [Fact]
    public void WithoutDevTasksThereIsNoDagger()
    {
        var result = Result();
        var onTest = result with
        {
            Orders = [.. result.Orders.Select(o => o with
            {
                Result = o.Result with
                {
                    EvaluatedOnDev = [false, false],
                    Runs = [.. o.Result.Runs.Select(r => r with { Report = r.Report with { EvaluatedOnDev = [false, false] } })],
                },
            })],
        };
        Assert.DoesNotContain("†", BenchmarkTables.Markdown(onTest, Scale));
    }

    [Fact]
    public void OnlyThePlainRecurrentKifVariantGetsThePaperRow()
    {
        ExperimentVariant[] variants =
        [
            new(ContinualMethod.RecurrentKif, OuterUpdateMode.SharedInnerAdam), new(ContinualMethod.RecurrentKif, OuterUpdateMode.Frozen),
            new(ContinualMethod.RecurrentKif, OuterUpdateMode.SharedInnerAdam, Ablation.NoDynamicImportance),
            new(ContinualMethod.StaticImportance), new(ContinualMethod.MultiTask), new(ContinualMethod.Replay),
            new(ContinualMethod.ComputeMatchedReplay, OuterUpdateMode.SharedInnerAdam), new(ContinualMethod.SeqLora),
        ];
        var match = PaperComparison.Match("standard", variants);
        Assert.Equal(78.4, match["RecurrentKif[SharedInnerAdam]"].Row!.OverallPerformancePercent);
        Assert.Null(match["RecurrentKif[Frozen]"].Row);
        Assert.Null(match["RecurrentKif[SharedInnerAdam] −DIE"].Row);
        Assert.Contains("variant", match["RecurrentKif[SharedInnerAdam] −DIE"].Label);
        Assert.Equal(new PaperRow("TaSL", 76.3, -4.0), match["StaticImportance"].Row);
        Assert.Equal("TaSL (paper; ours: static importance, TaSL-like)", match["StaticImportance"].Label);
        Assert.Equal(new PaperRow("MTL", 80.3, null), match["MultiTask"].Row);
        Assert.Null(match["Replay"].Row);
        Assert.Null(match["ComputeMatchedReplay[SharedInnerAdam]"].Row);
        Assert.Equal(-50.4, match["SeqLora"].Row!.BackwardTransferPercent);
        Assert.Equal(["O-LoRA", "VR-MCL", "MIGU"], PaperResults.PaperOnly("standard").Select(r => r.Method));
    }

    [Fact]
    public void ATableSoFarListsOrdersWithoutRuns()
    {
        var result = Result();
        var cut = result with { Orders = [result.Orders[0], result.Orders[1] with { Result = result.Orders[1].Result with { Runs = [] } }] };
        var summary = BenchmarkSummary.Of(cut, Scale);
        Assert.Equal(1, summary.Averaged[0].Orders);
        Assert.Empty(summary.PerOrder[1].Rows);
        Assert.Contains("No run of this order has finished yet.", BenchmarkTables.Markdown(summary));
    }
}

using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Tests.Models;
using RecurrentKif.Gpu.Tokenization;

namespace RecurrentKif.Gpu.Tests.Continual;

/// <summary>A CI-sized 3-task sequence on the real stories260k model, SeqLoRA against Recurrent-KIF.</summary>
public sealed class EndToEndSequenceTests
{
    [Fact]
    public void ThreeTaskSequenceGivesACompleteMatrixAndItsMetrics()
    {
        ContinualTask[] tasks = [TinyTasks.Load("sst-2", train: 12, eval: 6), TinyTasks.Load("cb", train: 12, eval: 6), TinyTasks.Load("rte", train: 12, eval: 6)];
        var reports = new List<ContinualReport>();
        var fusions = new Dictionary<ContinualMethod, int[]>();
        foreach (var method in new[] { ContinualMethod.SeqLora, ContinualMethod.RecurrentKif })
        {
            using var model = Stories260k.FromHfFolder();
            var tokenizer = TokenizerLoader.FromModelFolder(SharedFixtures.Stories260k);
            var result = new ContinualTrainer(model, tokenizer, TinyTasks.Settings(method)).Run(tasks);
            Assert.True(result.Accuracy.IsComplete(), $"{method}: every task must be evaluated after every task");
            var report = ContinualReport.Create(method.ToString(), tasks, result.Accuracy, result.Seconds);
            reports.Add(report);
            fusions[method] = result.Tasks.Select(t => t.Fusions).ToArray();

            // The metrics are the matrix's, by the formulas of docs/algorithm.md §5.4.
            var a = result.Accuracy;
            Assert.Equal((a[2, 0] + a[2, 1] + a[2, 2]) / 3, report.Metrics.OverallPerformance!.Value, 9);
            Assert.Equal((a[2, 0] - a[0, 0] + a[2, 1] - a[1, 1]) / 2, report.Metrics.BackwardTransfer!.Value, 9);
            Assert.Equal((a[0, 1] + a[1, 2]) / 2, report.Metrics.FwtZeroShot!.Value, 9);
        }
        // Recurrent-KIF fuses on tasks 2 and 3 (memory exists), never on task 1; SeqLoRA never.
        Assert.Equal(0, fusions[ContinualMethod.RecurrentKif][0]);
        Assert.True(fusions[ContinualMethod.RecurrentKif][1] > 0 && fusions[ContinualMethod.RecurrentKif][2] > 0);
        Assert.All(fusions[ContinualMethod.SeqLora], f => Assert.Equal(0, f));
        Assert.Contains("RecurrentKif", ContinualReportWriter.FormatComparison(reports));
        Assert.Contains("SeqLora", ContinualReportWriter.FormatComparison(reports));
    }
}

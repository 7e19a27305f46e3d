using RecurrentKif.Actors.Settings;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Reports;
using Serilog;

namespace RecurrentKif.Actors;

/// <summary>Writes a run's results from its journal state: report.json (ContinualReportWriter format) and matrix.txt.</summary>
public static class RunReports
{
    public static ContinualReport Build(RunConfiguration run, IReadOnlyList<ContinualTask> tasks, RunState state, int tensorsLeftInStore = 0)
    {
        var matrix = new AccuracyMatrix(tasks.Select(t => t.Name).ToList());
        foreach (var (row, accuracies) in state.Rows)
            for (int i = 0; i < accuracies.Count; i++) matrix[row, i] = accuracies[i];
        var summaries = state.Trained.OrderBy(kv => kv.Key).Select(kv => kv.Value.Summary).ToList();
        var extras = new Dictionary<string, double>
        {
            ["innerSteps"] = summaries.Sum(s => s.InnerSteps),
            ["outerSteps"] = summaries.Sum(s => s.OuterSteps),
            ["fusions"] = summaries.Sum(s => s.Fusions),
            ["trainingSeconds"] = summaries.Sum(s => s.Seconds),
            ["rollbacks"] = state.Rollbacks.Count,
            ["tensorsLeftInStore"] = tensorsLeftInStore,
        };
        // A finished run's wall time ends at RunFinished, not when the report is rebuilt; a running one's is so far.
        double seconds = state.Started is null ? 0 : ((state.FinishedUtc ?? DateTime.UtcNow) - state.Started.StartedUtc).TotalSeconds;
        return ContinualReport.Create(run.Continual.Method.ToString(), tasks, matrix, seconds, extras) with
        {
            Training = TaskTrainingCurves.Of(summaries.Select(Summaries.ToStats)),
        };
    }

    public static void Write(RunConfiguration run, IReadOnlyList<ContinualTask> tasks, RunState state, int tensorsLeftInStore = 0)
    {
        var report = Build(run, tasks, state, tensorsLeftInStore);
        Directory.CreateDirectory(run.RunFolder);
        ContinualReportWriter.WriteJson([report], Path.Combine(run.RunFolder, "report.json"));
        File.WriteAllText(Path.Combine(run.RunFolder, "matrix.txt"), ContinualReportWriter.FormatMatrix(report));
        var stats = state.Trained.OrderBy(kv => kv.Key).Select(kv => Summaries.ToStats(kv.Value.Summary)).ToList();
        HtmlReportWriter.Write(new RunReportData(report, stats, $"RecurrentKif run '{run.RunId}'", Settings(run), DateTime.UtcNow),
            Path.Combine(run.RunFolder, "report.html"));
        Log.Information("Reports written to {Folder}", run.RunFolder);
    }

    /// <summary>The run's settings as the HTML report lists them.</summary>
    public static Dictionary<string, string> Settings(RunConfiguration run)
    {
        var c = run.Continual;
        return new Dictionary<string, string>
        {
            ["configuration"] = run.SourceFile,
            ["model"] = run.Model,
            ["tasks"] = $"{run.TaskSource}: {run.TaskOrder} (train {run.Sizes.TrainPerTask}, dev {run.Sizes.DevPerTask}, eval {run.Sizes.EvalPerTask} per task, inputs cut to {run.Sizes.MaxInputWords} words; 0 = all)",
            ["method"] = c.Method.ToString(),
            ["training"] = $"{c.FineTune.Epochs} epochs, batch {c.FineTune.BatchSize} ({c.FineTune.MicroBatchSize} × {c.FineTune.AccumulationSteps}), lr {c.Optimizer.LearningRate}, warm-up {c.Optimizer.WarmupSteps}, cutoff {c.FineTune.Cutoff}",
            ["LoRA"] = $"r {c.Lora.Rank}, α {c.Lora.Alpha}, dropout {c.Lora.Dropout}, targets {string.Join(", ", c.Lora.TargetModules)}",
            ["Recurrent-KIF"] = $"Q {c.Kif.InnerSteps}, outer {c.Kif.OuterSteps} × {c.Kif.OuterBatchSize} ({c.Kif.OuterUpdate}), β {c.Kif.Beta1}/{c.Kif.Beta2}, quantile {c.Kif.Quantile}, fusion {c.Kif.Fusion}",
            ["memory / validation"] = $"{c.MemoryRatio:P0} per task / {c.ValidationPerTask} dev examples per task, every {c.EvalEvery} steps",
            ["seed"] = c.FineTune.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}

using RecurrentKif.Actors.Settings;
using RecurrentKif.Gpu.Continual;
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
        double seconds = state.Started is null ? 0 : (DateTime.UtcNow - state.Started.StartedUtc).TotalSeconds;
        return ContinualReport.Create(run.Continual.Method.ToString(), tasks, matrix, seconds, extras);
    }

    public static void Write(RunConfiguration run, IReadOnlyList<ContinualTask> tasks, RunState state, int tensorsLeftInStore = 0)
    {
        var report = Build(run, tasks, state, tensorsLeftInStore);
        Directory.CreateDirectory(run.RunFolder);
        ContinualReportWriter.WriteJson([report], Path.Combine(run.RunFolder, "report.json"));
        File.WriteAllText(Path.Combine(run.RunFolder, "matrix.txt"), ContinualReportWriter.FormatMatrix(report));
        Log.Information("Reports written to {Folder}", run.RunFolder);
    }
}

using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Experiments;
using RecurrentKif.Gpu.Reports;

namespace RecurrentKif.Launcher.Commands;

/// <summary>One order's files: experiment.json, comparison.md, matrices.txt and experiment.html.</summary>
internal static class ExperimentOutputs
{
    public static void Write(ExperimentResult result, string order, string folder)
    {
        Directory.CreateDirectory(folder);
        ExperimentJson.Write(result, Path.Combine(folder, "experiment.json"));
        File.WriteAllText(Path.Combine(folder, "comparison.md"), ExperimentTables.Comparison(result));
        File.WriteAllText(Path.Combine(folder, "matrices.txt"),
            string.Join(Environment.NewLine + Environment.NewLine, result.Runs.Select(r => ContinualReportWriter.FormatMatrix(r.Report))));
        ExperimentHtmlWriter.Write(result, $"Experiment: {order}", Path.Combine(folder, "experiment.html"));
    }
}

using System.Globalization;
using System.Text;

namespace RecurrentKif.Gpu.Experiments;

/// <summary>The experiment as markdown: each task's chance level, then one row per variant with mean ± std over seeds.</summary>
public static class ExperimentTables
{
    public static string Comparison(ExperimentResult result)
    {
        var text = new StringBuilder();
        text.AppendLine(ChanceLine(result.TaskNames.Select((t, i) => (t, (double?)result.ChanceLevels[i]))));
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"Seeds: {string.Join(", ", result.Seeds)}. Cells are mean ± sample std over the seeds a variant ran with."));
        text.AppendLine();
        text.AppendLine("| variant | seeds | OP (%) | BWT (%) | FWT zero-shot (%) | just learned (%) | wall time (s) | optimizer steps |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var s in result.Summaries)
            text.AppendLine($"| {s.Variant} | {s.Seeds} | {s.OverallPerformance.Format()} | {s.BackwardTransfer.Format()} | {s.FwtZeroShot.Format()} | "
                            + $"{s.JustLearned.Format()} | {s.WallClockSeconds.Format(scale: 1)} | {s.OptimizerSteps.Format(scale: 1, format: "F0")} |");
        text.AppendLine();
        text.AppendLine("just learned: mean over tasks of the accuracy right after learning each (the matrix diagonal). "
                        + "optimizer steps: inner + outer (memory) steps over the whole sequence.");
        return text.ToString();
    }

    /// <summary>"Chance level (…): review 50.0 %, topic 25.0 %" for the given task labels (names, marked as the caller wants).</summary>
    internal static string ChanceLine(IEnumerable<(string Label, double? Chance)> tasks) =>
        "Chance level (1 / labels in the evaluation split): " + string.Join(", ", tasks.Select(t => $"{t.Label} {Percent(t.Chance)} %"));

    /// <summary>A fraction as a percentage with one decimal; "-" when unmeasured.</summary>
    internal static string Percent(double? fraction) =>
        fraction is double value && double.IsFinite(value) ? (100 * value).ToString("F1", CultureInfo.InvariantCulture) : "-";
}

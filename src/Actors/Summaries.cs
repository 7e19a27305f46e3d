using RecurrentKif.Gpu.Continual;
using RecurrentKif.Messages;

namespace RecurrentKif.Actors;

/// <summary>Converts the library's per-task statistics into the journal's plain records and back.</summary>
public static class Summaries
{
    public static TaskSummary Of(TaskTrainingStats s) => new(
        s.Task, s.InnerSteps, s.OuterSteps, s.Fusions, s.BestValidationLoss, s.LastValidationLoss, s.SelectedStep, s.Seconds,
        s.TrainingTokens, s.Losses, s.FusionShares.Select(f => new MaskShareSummary(f.InOnly, f.OutOnly, f.Both, f.Neither)).ToList(),
        s.FirstTokenLosses.Select(NullIfNaN).ToArray(),
        s.Validations.Select(v => new ValidationSummary(v.Step, NullIfNaN(v.Loss), NullIfNaN(v.FirstTokenAccuracy))).ToArray());

    public static TaskTrainingStats ToStats(TaskSummary s) => new(
        s.Task, s.InnerSteps, s.OuterSteps, s.FusionShares.Select(f => new MaskShares(f.InOnly, f.OutOnly, f.Both, f.Neither)).ToList(),
        s.BestValidationLoss, s.LastValidationLoss, s.SelectedStep, s.TrainingTokens, s.Seconds, s.Losses)
    {
        // A summary journaled before these existed has none: the report then shows no first-token curve for the task.
        FirstTokenLosses = s.FirstTokenLosses?.Select(v => v ?? double.NaN).ToArray() ?? [],
        Validations = s.Validations?.Select(v => new ValidationPoint(v.Step, v.Loss ?? double.NaN, v.FirstTokenAccuracy ?? double.NaN)).ToArray() ?? [],
    };

    private static double? NullIfNaN(double value) => double.IsNaN(value) ? null : value;
}

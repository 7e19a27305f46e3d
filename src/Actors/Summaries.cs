using RecurrentKif.Gpu.Continual;
using RecurrentKif.Messages;

namespace RecurrentKif.Actors;

/// <summary>Converts the library's per-task statistics into the journal's plain records and back.</summary>
public static class Summaries
{
    public static TaskSummary Of(TaskTrainingStats s) => new(
        s.Task, s.InnerSteps, s.OuterSteps, s.Fusions, s.BestValidationLoss, s.LastValidationLoss, s.SelectedStep, s.Seconds,
        s.TrainingTokens, s.Losses, s.FusionShares.Select(f => new MaskShareSummary(f.InOnly, f.OutOnly, f.Both, f.Neither)).ToList());

    public static TaskTrainingStats ToStats(TaskSummary s) => new(
        s.Task, s.InnerSteps, s.OuterSteps, s.FusionShares.Select(f => new MaskShares(f.InOnly, f.OutOnly, f.Both, f.Neither)).ToList(),
        s.BestValidationLoss, s.LastValidationLoss, s.SelectedStep, s.TrainingTokens, s.Seconds, s.Losses);
}

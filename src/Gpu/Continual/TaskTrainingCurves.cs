namespace RecurrentKif.Gpu.Continual;

/// <summary>
/// One task's per-step training record as a report file keeps it: the loss and the first answer token's loss of
/// every optimizer step (NaN where not measured), and every validation of a checkpoint candidate.
/// </summary>
public sealed record TaskTrainingCurves(string Task, IReadOnlyList<double> Losses, IReadOnlyList<double> FirstTokenLosses, IReadOnlyList<ValidationPoint> Validations)
{
    public static TaskTrainingCurves Of(TaskTrainingStats stats) =>
        new(stats.Task, stats.Losses.ToArray(), stats.FirstTokenLosses.ToArray(), stats.Validations.ToArray());

    public static IReadOnlyList<TaskTrainingCurves> Of(IEnumerable<TaskTrainingStats> stats) => stats.Select(Of).ToArray();
}

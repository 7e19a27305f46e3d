using RecurrentKif.Gpu.Training;

namespace RecurrentKif.Gpu.TrainingLogs;

/// <summary>
/// One optimizer step as the training logs record it (docs/observability.md §1). <see cref="Step"/> counts from 1
/// within the task; <see cref="Cycle"/> is the Recurrent-KIF cycle the step belongs to (0 when the task does not
/// fuse). <see cref="FirstTokenLoss"/> and <see cref="GradNorm"/> are NaN where not measured; <see cref="Tokens"/>
/// are the step's own (prompt + answer, padding excluded).
/// </summary>
public sealed record StepLogEntry(
    int Task, string TaskName, int Step, int TotalSteps, int Cycle,
    double Loss, double FirstTokenLoss, double LearningRate, double GradNorm, long Tokens, double TokensPerSecond, double ElapsedSeconds)
{
    /// <summary>The entry of task <paramref name="task"/>'s step that <paramref name="progress"/> reports.</summary>
    public static StepLogEntry Of(int task, TrainingProgress progress) => new(
        task, progress.Phase, progress.Step, progress.TotalSteps, progress.Cycle, progress.Loss, progress.FirstTokenLoss,
        progress.LearningRate, progress.GradNorm, progress.StepTokens, progress.TokensPerSecond, progress.Elapsed.TotalSeconds);
}

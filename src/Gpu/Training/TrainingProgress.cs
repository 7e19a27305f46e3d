namespace RecurrentKif.Gpu.Training;

/// <summary>
/// Progress of a training loop after one optimizer step, for progress bars and logs. <see cref="Cycle"/> of
/// <see cref="Cycles"/> is the Recurrent-KIF cycle the step belongs to (0 of 0 when the task does not fuse).
/// <see cref="FirstTokenLoss"/> is the loss of the answer's first token (the decision), NaN where not measured;
/// <see cref="GradNorm"/> the gradient norm before clipping (NaN where not reported) and <see cref="StepTokens"/> the
/// step's tokens, both for the training logs (docs/observability.md).
/// </summary>
public sealed record TrainingProgress(string Phase, int Step, int TotalSteps, double Loss, double LearningRate, double TokensPerSecond, TimeSpan Elapsed,
    int Cycle = 0, int Cycles = 0, double FirstTokenLoss = double.NaN, double GradNorm = double.NaN, long StepTokens = 0)
{
    public TimeSpan EstimatedRemaining => Step <= 0 ? TimeSpan.Zero : Elapsed / Step * (TotalSteps - Step);
}

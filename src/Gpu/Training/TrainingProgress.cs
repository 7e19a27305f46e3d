namespace RecurrentKif.Gpu.Training;

/// <summary>
/// Progress of a training loop after one optimizer step, for progress bars and logs. <see cref="Cycle"/> of
/// <see cref="Cycles"/> is the Recurrent-KIF cycle the step belongs to (0 of 0 when the task does not fuse).
/// <see cref="FirstTokenLoss"/> is the loss of the answer's first token (the decision), NaN where not measured.
/// </summary>
public sealed record TrainingProgress(string Phase, int Step, int TotalSteps, double Loss, double LearningRate, double TokensPerSecond, TimeSpan Elapsed,
    int Cycle = 0, int Cycles = 0, double FirstTokenLoss = double.NaN)
{
    public TimeSpan EstimatedRemaining => Step <= 0 ? TimeSpan.Zero : Elapsed / Step * (TotalSteps - Step);
}

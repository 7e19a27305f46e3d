namespace RecurrentKif.Gpu.Training;

/// <summary>Progress of a training loop after one optimizer step, for progress bars and logs.</summary>
public sealed record TrainingProgress(string Phase, int Step, int TotalSteps, double Loss, double LearningRate, double TokensPerSecond, TimeSpan Elapsed)
{
    public TimeSpan EstimatedRemaining => Step <= 0 ? TimeSpan.Zero : Elapsed / Step * (TotalSteps - Step);
}

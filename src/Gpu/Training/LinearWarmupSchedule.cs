namespace RecurrentKif.Gpu.Training;

/// <summary>
/// Hugging Face "linear with warm-up": lr(t) = base · t / W for t &lt; W, then base · max(0, (N − t) / (N − W)).
/// t counts optimizer steps already taken, so the very first step runs at lr(0) = 0, exactly as the HF Trainer does
/// (it steps the scheduler after the optimizer).
/// </summary>
public sealed class LinearWarmupSchedule(double baseLearningRate, int warmupSteps, int totalSteps)
{
    public double BaseLearningRate { get; } = baseLearningRate;
    public int WarmupSteps { get; } = warmupSteps;
    public int TotalSteps { get; } = totalSteps;

    public double LearningRateAt(int step)
    {
        if (step < WarmupSteps) return BaseLearningRate * step / Math.Max(1, WarmupSteps);
        return BaseLearningRate * Math.Max(0.0, (double)(TotalSteps - step) / Math.Max(1, TotalSteps - WarmupSteps));
    }
}

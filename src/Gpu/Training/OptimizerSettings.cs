namespace RecurrentKif.Gpu.Training;

/// <summary>
/// AdamW and schedule settings of the official code (docs/algorithm.md §4.1): lr 3e-4, β = (0.9, 0.999), ε = 1e-8,
/// no weight decay, global-norm clipping at 1.0, 50 linear warm-up steps then linear decay to 0.
/// </summary>
public sealed record OptimizerSettings
{
    public double LearningRate { get; init; } = 3e-4;
    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.999;
    public double Epsilon { get; init; } = 1e-8;
    public double WeightDecay { get; init; }
    public double MaxGradNorm { get; init; } = 1.0;
    public int WarmupSteps { get; init; } = 50;

    public void Validate()
    {
        if (LearningRate <= 0) throw new ArgumentException($"learning rate must be > 0 (got {LearningRate})");
        if (Beta1 is < 0 or >= 1 || Beta2 is < 0 or >= 1) throw new ArgumentException($"Adam betas must be in [0, 1) (got {Beta1}, {Beta2})");
        if (Epsilon <= 0) throw new ArgumentException($"Adam epsilon must be > 0 (got {Epsilon})");
        if (WeightDecay < 0) throw new ArgumentException($"weight decay must be >= 0 (got {WeightDecay})");
        if (MaxGradNorm <= 0) throw new ArgumentException($"max grad norm must be > 0 (got {MaxGradNorm})");
        if (WarmupSteps < 0) throw new ArgumentException($"warm-up steps must be >= 0 (got {WarmupSteps})");
    }
}

using System.Globalization;

namespace RecurrentKif.Gpu.Pretraining;

/// <summary>
/// How a model the project makes itself is pretrained from scratch (next-token loss on random windows of a token
/// stream): <see cref="CausalLmPretrainer"/>. Each model has its own defaults (<c>BuiltInModel.DefaultSettings</c>,
/// <c>BenchmarkModel.DefaultSettings</c>).
/// </summary>
public sealed record PretrainSettings
{
    public int Steps { get; init; } = 1200;
    public int BatchSize { get; init; } = 16;
    public int BlockLength { get; init; } = 128;
    public double LearningRate { get; init; } = 3e-3;
    public int WarmupSteps { get; init; } = 20;
    public long Seed { get; init; } = 1234;
    /// <summary>Stop after this many steps (0 = all), schedule unchanged: how a test replays a recorded run's first steps.</summary>
    public int StopAfter { get; init; }

    public void Validate(int maxPositions)
    {
        if (Steps <= 0 || BatchSize <= 0 || WarmupSteps < 0 || WarmupSteps > Steps)
            throw new ArgumentException($"pretraining needs steps > 0, batch size > 0 and 0 <= warm-up <= steps (got {Steps}, {BatchSize}, {WarmupSteps})");
        if (BlockLength < 2 || BlockLength > maxPositions)
            throw new ArgumentException($"block length must be in [2, {maxPositions}] (got {BlockLength})");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new ArgumentException($"learning rate must be > 0 (got {LearningRate})");
        if (StopAfter < 0) throw new ArgumentException($"stop-after must be >= 0 (got {StopAfter})");
    }

    /// <summary>The <c>rkif pretrain</c> flags that reproduce these settings (written into provenance.json).</summary>
    public string CommandFlags() => string.Create(CultureInfo.InvariantCulture,
        $"--steps {Steps} --batch-size {BatchSize} --block-length {BlockLength} --lr {LearningRate} --warmup-steps {WarmupSteps} --seed {Seed}");
}

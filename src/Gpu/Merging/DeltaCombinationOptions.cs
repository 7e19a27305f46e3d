namespace RecurrentKif.Gpu.Merging;

/// <summary>
/// The knobs of the adapter-combination methods (docs/merging.md). <see cref="Weights"/>: one per adapter
/// (null: 1 each). <see cref="Density"/>: the share of each delta TIES and DARE keep. <see cref="Normalize"/>:
/// divide by the summed weights (linear, DARE) or by the summed weights that agree with the elected sign (TIES).
/// <see cref="Seed"/>: DARE's random drop.
/// </summary>
public sealed record DeltaCombinationOptions
{
    public IReadOnlyList<double>? Weights { get; init; }
    public double Density { get; init; } = 1.0;
    public bool Normalize { get; init; } = true;
    public long Seed { get; init; } = 42;

    /// <summary>The weights for <paramref name="count"/> adapters; an ArgumentException says what does not fit.</summary>
    public IReadOnlyList<double> WeightsFor(int count)
    {
        if (Weights is null) return Enumerable.Repeat(1.0, count).ToList();
        if (Weights.Count != count) throw new ArgumentException($"{Weights.Count} weights given for {count} adapters");
        if (Weights.Any(w => !double.IsFinite(w))) throw new ArgumentException("every adapter weight must be a finite number");
        return Weights;
    }

    public void Validate()
    {
        if (!(Density > 0 && Density <= 1)) throw new ArgumentException($"density must be in (0, 1] (got {Density})");
    }
}

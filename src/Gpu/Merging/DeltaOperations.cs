using RecurrentKif.Gpu.Data;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Merging;

/// <summary>
/// The small pure steps the combination methods are built from (docs/merging.md). None modifies its inputs.
/// </summary>
public static class DeltaOperations
{
    /// <summary>Σ wᵢ δᵢ, divided by Σ wᵢ when <paramref name="normalize"/> (a weighted mean).</summary>
    public static Tensor WeightedSum(IReadOnlyList<Tensor> deltas, IReadOnlyList<double> weights, bool normalize)
    {
        using var scope = NewDisposeScope();
        var sum = zeros_like(deltas[0]);
        for (int i = 0; i < deltas.Count; i++) sum.add_(deltas[i], alpha: weights[i]);
        if (normalize)
        {
            double total = weights.Sum();
            if (total == 0) throw new ArgumentException("the adapter weights sum to 0, so they cannot be normalised; turn normalisation off");
            sum.div_(total);
        }
        return sum.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// TIES' trim: keeps the ⌊density · n⌋ entries of largest magnitude and zeroes the rest. Equal magnitudes at the
    /// cut are broken by libtorch's topk.
    /// </summary>
    public static Tensor KeepLargest(Tensor delta, double density)
    {
        long n = delta.numel();
        // The small epsilon keeps 0.3 · 10 = 3.0000000000000004 (and its cousins) from rounding down a whole entry.
        long keep = (long)Math.Floor(density * n + 1e-9);
        if (keep >= n) return delta.clone();
        using var scope = NewDisposeScope();
        var flat = delta.flatten();
        var mask = zeros_like(flat);
        if (keep > 0) mask.index_fill_(0, flat.abs().topk((int)keep).indexes, 1.0);
        return flat.mul(mask).reshape(delta.shape).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// DARE's drop and rescale: every entry is kept with probability <paramref name="density"/> (one uniform draw per
    /// entry, in row-major order, from <see cref="SeededRandom"/> seeded with <paramref name="seed"/>) and the kept
    /// ones are divided by the density, so the expected delta is unchanged.
    /// </summary>
    public static Tensor DropAndRescale(Tensor delta, double density, long seed)
    {
        var random = new SeededRandom(seed);
        var keep = new float[delta.numel()];
        float scale = (float)(1.0 / density);
        for (int i = 0; i < keep.Length; i++) keep[i] = random.NextDouble() < density ? scale : 0f;
        using var mask = tensor(keep, delta.shape, dtype: delta.dtype);
        return delta.mul(mask);
    }

    /// <summary>TIES' sign election: the sign of Σ wᵢ δᵢ per entry (+1, −1, or 0 where the sum is 0).</summary>
    public static Tensor ElectSign(IReadOnlyList<Tensor> deltas, IReadOnlyList<double> weights)
    {
        using var sum = WeightedSum(deltas, weights, normalize: false);
        return sum.sign();
    }

    /// <summary>
    /// TIES' disjoint merge: Σ wᵢ δᵢ over the adapters whose entry has the elected sign, divided (when
    /// <paramref name="normalize"/>) by the sum of those adapters' weights; entries no adapter agrees on are 0.
    /// </summary>
    public static Tensor DisjointMerge(IReadOnlyList<Tensor> deltas, IReadOnlyList<double> weights, Tensor sign, bool normalize)
    {
        using var scope = NewDisposeScope();
        var sum = zeros_like(deltas[0]);
        var agreeingWeight = zeros_like(deltas[0]);
        for (int i = 0; i < deltas.Count; i++)
        {
            var agrees = deltas[i].sign().eq(sign).logical_and(sign.ne(0)).to(deltas[i].dtype);
            sum.add_(deltas[i].mul(agrees), alpha: weights[i]);
            agreeingWeight.add_(agrees, alpha: weights[i]);
        }
        if (!normalize) return sum.MoveToOuterDisposeScope();
        // Where no adapter agrees the sum is 0 already; dividing by 1 there keeps it 0 instead of 0/0.
        var divisor = agreeingWeight.masked_fill(agreeingWeight.eq(0), 1.0);
        return sum.div_(divisor).MoveToOuterDisposeScope();
    }

    /// <summary>A seed for DARE's draw over one adapter's delta of one layer, independent of every other draw.</summary>
    public static long DropSeed(long seed, string modulePath, int adapterIndex) =>
        SeededRandom.DeriveSeed(SeededRandom.DeriveSeed(seed, SeededRandom.StableHash(modulePath)), adapterIndex);
}

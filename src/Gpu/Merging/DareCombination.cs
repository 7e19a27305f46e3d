using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Merging;

/// <summary>
/// "dare" (DARE, Yu et al. 2024): drop each delta's entries at random, keeping a share of density, rescale the kept
/// ones by 1 / density, then take the weighted sum as "linear" does. "dare_ties" merges the dropped deltas with TIES'
/// sign election instead. The draw is seeded by (seed, layer, adapter), so a merge is reproducible.
/// </summary>
public sealed class DareCombination(bool signConsensus) : IDeltaCombination
{
    public string Name => signConsensus ? "dare_ties" : "dare";

    public Tensor Combine(IReadOnlyList<Tensor> deltas, DeltaCombinationOptions options, string modulePath)
    {
        var weights = options.WeightsFor(deltas.Count);
        using var scope = NewDisposeScope();
        var dropped = deltas
            .Select((d, i) => DeltaOperations.DropAndRescale(d, options.Density, DeltaOperations.DropSeed(options.Seed, modulePath, i)))
            .ToList();
        var merged = signConsensus
            ? DeltaOperations.DisjointMerge(dropped, weights, DeltaOperations.ElectSign(dropped, weights), options.Normalize)
            : DeltaOperations.WeightedSum(dropped, weights, options.Normalize);
        return merged.MoveToOuterDisposeScope();
    }
}

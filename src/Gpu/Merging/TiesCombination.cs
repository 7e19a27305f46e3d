using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Merging;

/// <summary>
/// "ties" (TIES-merging, Yadav et al. 2023): trim each delta to its largest-magnitude share (density), elect a sign
/// per entry from the weighted sum of the trimmed deltas, then merge only the entries that agree with it.
/// </summary>
public sealed class TiesCombination : IDeltaCombination
{
    public string Name => "ties";

    public Tensor Combine(IReadOnlyList<Tensor> deltas, DeltaCombinationOptions options, string modulePath)
    {
        var weights = options.WeightsFor(deltas.Count);
        using var scope = NewDisposeScope();
        var trimmed = deltas.Select(d => DeltaOperations.KeepLargest(d, options.Density)).ToList();
        var sign = DeltaOperations.ElectSign(trimmed, weights);
        return DeltaOperations.DisjointMerge(trimmed, weights, sign, options.Normalize).MoveToOuterDisposeScope();
    }
}

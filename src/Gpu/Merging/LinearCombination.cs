using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Merging;

/// <summary>"linear": the weighted sum of the deltas, a weighted mean when normalised (task arithmetic when not).</summary>
public sealed class LinearCombination : IDeltaCombination
{
    public string Name => "linear";

    public Tensor Combine(IReadOnlyList<Tensor> deltas, DeltaCombinationOptions options, string modulePath) =>
        DeltaOperations.WeightedSum(deltas, options.WeightsFor(deltas.Count), options.Normalize);
}

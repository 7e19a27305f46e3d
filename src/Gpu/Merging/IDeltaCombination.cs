using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Merging;

/// <summary>
/// One way of combining several adapters' deltas for the same layer into one (docs/merging.md). Implementations are
/// pure: the result depends only on the deltas, the options and the module path (which seeds DARE's draw), and
/// the inputs are left untouched.
/// </summary>
public interface IDeltaCombination
{
    /// <summary>The name the registry and <c>rkif merge --method</c> know it by.</summary>
    string Name { get; }

    /// <param name="deltas">One fp32 tensor per adapter, all the same shape.</param>
    /// <returns>A new tensor of that shape.</returns>
    Tensor Combine(IReadOnlyList<Tensor> deltas, DeltaCombinationOptions options, string modulePath);
}

using TorchSharp;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Continual;

/// <summary>
/// Key-knowledge merging (docs/algorithm.md §3.4), the last pure step of the cycle end:
/// θ' = θ_ref + w_in ⊙ τ_in + w_out ⊙ τ_out with τ_in = θ_Q − θ_ref and τ_out = θ − θ_Q, tensor by tensor (A and B
/// fused independently). Returns new tensors and reads its inputs only: the caller copies θ' into the live parameters
/// (optimizer moments are not touched). Always in this arithmetic order, so the library loop and the pipeline agree
/// bit for bit.
/// </summary>
public static class KnowledgeMerge
{
    /// <summary>The fused θ, one new tensor per LoRA tensor; the caller owns them.</summary>
    public static IReadOnlyList<Tensor> Merge(
        IReadOnlyList<Tensor> reference, IReadOnlyList<Tensor> afterInner, IReadOnlyList<Tensor> theta,
        IReadOnlyList<Tensor> inWeights, IReadOnlyList<Tensor> outWeights)
    {
        if (new[] { afterInner.Count, theta.Count, inWeights.Count, outWeights.Count }.Any(c => c != reference.Count))
            throw new ArgumentException("merging needs one reference, snapshot, θ and weight pair per LoRA tensor");
        var fused = new List<Tensor>(reference.Count);
        for (int i = 0; i < reference.Count; i++) fused.Add(Merge(reference[i], afterInner[i], theta[i], inWeights[i], outWeights[i]));
        return fused;
    }

    /// <summary>θ_ref + w_in ⊙ (θ_Q − θ_ref) + w_out ⊙ (θ − θ_Q) for one LoRA tensor, as a new tensor.</summary>
    public static Tensor Merge(Tensor reference, Tensor afterInner, Tensor theta, Tensor wIn, Tensor wOut)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var tauIn = afterInner - reference;
        var tauOut = theta - afterInner;
        return (reference + wIn * tauIn + wOut * tauOut).MoveToOuterDisposeScope();
    }
}

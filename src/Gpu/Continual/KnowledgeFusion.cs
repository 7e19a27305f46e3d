using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Continual;

/// <summary>How many LoRA scalars fell in each mask combination at one fusion.</summary>
public sealed record MaskShares(long InOnly, long OutOnly, long Both, long Neither)
{
    public long Total => InOnly + OutOnly + Both + Neither;
    public static MaskShares operator +(MaskShares a, MaskShares b) =>
        new(a.InOnly + b.InOnly, a.OutOnly + b.OutOnly, a.Both + b.Both, a.Neither + b.Neither);
    public static readonly MaskShares Zero = new(0, 0, 0, 0);
}

/// <summary>
/// The fusion step: θ ← θ_ref + w_in ⊙ τ_in + w_out ⊙ τ_out with τ_in = θ_Q − θ_ref and τ_out = θ − θ_Q, written into the
/// live parameters in place, tensor by tensor (A and B fused independently, as the code does). Optimizer moments are
/// not touched.
/// </summary>
public static class KnowledgeFusion
{
    public static MaskShares Fuse(
        IReadOnlyList<Parameter> theta, IReadOnlyList<Tensor> reference, IReadOnlyList<Tensor> afterInner,
        IReadOnlyList<Tensor> inMasks, IReadOnlyList<Tensor> outMasks, FusionWeightTable table)
    {
        if (new[] { reference.Count, afterInner.Count, inMasks.Count, outMasks.Count }.Any(c => c != theta.Count))
            throw new ArgumentException("fusion needs one reference, snapshot and mask pair per LoRA tensor");
        using var _ = no_grad();
        var shares = MaskShares.Zero;
        for (int i = 0; i < theta.Count; i++)
        {
            var (wIn, wOut) = table.Weights(inMasks[i], outMasks[i]);
            using (wIn)
            using (wOut)
                Apply(theta[i], reference[i], afterInner[i], wIn, wOut);
            shares += Count(inMasks[i], outMasks[i]);
        }
        return shares;
    }

    /// <summary>
    /// Fusion with weights already computed per LoRA tensor (soft adaptive weights); the shares are counted from the
    /// masks, so reports show what identification found even when the weights do not come from it.
    /// </summary>
    public static MaskShares Fuse(
        IReadOnlyList<Parameter> theta, IReadOnlyList<Tensor> reference, IReadOnlyList<Tensor> afterInner,
        IReadOnlyList<Tensor> inWeights, IReadOnlyList<Tensor> outWeights, IReadOnlyList<Tensor> inMasks, IReadOnlyList<Tensor> outMasks)
    {
        if (new[] { reference.Count, afterInner.Count, inWeights.Count, outWeights.Count, inMasks.Count, outMasks.Count }.Any(c => c != theta.Count))
            throw new ArgumentException("fusion needs one reference, snapshot, weight pair and mask pair per LoRA tensor");
        var shares = MaskShares.Zero;
        for (int i = 0; i < theta.Count; i++)
        {
            Apply(theta[i], reference[i], afterInner[i], inWeights[i], outWeights[i]);
            shares += Count(inMasks[i], outMasks[i]);
        }
        return shares;
    }

    /// <summary>θ ← θ_ref + w_in ⊙ (θ_Q − θ_ref) + w_out ⊙ (θ − θ_Q) for one LoRA tensor, in place.</summary>
    public static void Apply(Tensor theta, Tensor reference, Tensor afterInner, Tensor wIn, Tensor wOut)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var tauIn = afterInner - reference;
        var tauOut = theta - afterInner;
        theta.copy_(reference + wIn * tauIn + wOut * tauOut);
    }

    /// <summary>How many scalars of one tensor fall in each mask combination.</summary>
    public static MaskShares Count(Tensor inMask, Tensor outMask)
    {
        using var _ = no_grad();
        long both = inMask.logical_and(outMask).sum().item<long>();
        long inCount = inMask.sum().item<long>(), outCount = outMask.sum().item<long>();
        return new MaskShares(inCount - both, outCount - both, both, inMask.numel() - inCount - outCount + both);
    }
}

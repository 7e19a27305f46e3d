using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Continual;

/// <summary>Per-element fusion weights (w_in, w_out) for one combination of the two masks.</summary>
public readonly record struct FusionWeights(double In, double Out);

/// <summary>
/// Redundant-knowledge pruning and key-knowledge merging as a table over (m_in, m_out) (docs/algorithm.md §3.4).
/// The code's table prunes the side whose update is not key (in-only keeps τ_in, out-only keeps τ_out), merges
/// shared key elements 0.4/0.6 favouring old tasks, and averages the rest; the paper-binary table sums and zeroes.
/// </summary>
public sealed record FusionWeightTable(FusionWeights InOnly, FusionWeights OutOnly, FusionWeights Both, FusionWeights Neither)
{
    public static readonly FusionWeightTable Code = new(new(1, 0), new(0, 1), new(0.4, 0.6), new(0.5, 0.5));
    public static readonly FusionWeightTable PaperBinary = new(new(1, 0), new(0, 1), new(1, 1), new(0, 0));
    /// <summary>"− KI": no identification, so every scalar is treated as "neither" and τ_in, τ_out are averaged.</summary>
    public static readonly FusionWeightTable Unmasked = new(new(0.5, 0.5), new(0.5, 0.5), new(0.5, 0.5), new(0.5, 0.5));

    public static FusionWeightTable For(FusionRule rule) => rule == FusionRule.PaperBinary ? PaperBinary : Code;

    /// <summary>
    /// The table the settings ask for, ablations included: "− KI" ignores the masks, "− Share" gives scalars key to
    /// both sides no update. Adaptive fusion weighs by scores instead; its table only labels the mask shares.
    /// </summary>
    public static FusionWeightTable For(KifSettings kif)
    {
        if (!kif.IdentifyKnowledge) return Unmasked;
        var table = For(kif.Fusion);
        return kif.UpdateShared ? table : table with { Both = new(0, 0) };
    }

    /// <summary>w_in and w_out tensors for bool masks of one LoRA tensor (same shape, fp32, on the masks' device).</summary>
    public (Tensor In, Tensor Out) Weights(Tensor inMask, Tensor outMask)
    {
        using var scope = NewDisposeScope();
        var both = inMask.logical_and(outMask);
        var inOnly = inMask.logical_and(outMask.logical_not());
        var outOnly = outMask.logical_and(inMask.logical_not());
        Tensor Select(Func<FusionWeights, double> side) =>
            where(both, side(Both), where(inOnly, side(InOnly), where(outOnly, side(OutOnly), side(Neither)))).to(ScalarType.Float32);
        var wIn = Select(w => w.In);
        var wOut = Select(w => w.Out);
        return (wIn.MoveToOuterDisposeScope(), wOut.MoveToOuterDisposeScope());
    }
}

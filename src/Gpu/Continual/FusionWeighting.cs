using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Continual;

/// <summary>Per-element fusion weights w_in, w_out (fp32, one pair per LoRA tensor) and the mask shares they came with.</summary>
public sealed record FusionWeightMaps(IReadOnlyList<Tensor> In, IReadOnlyList<Tensor> Out, MaskShares Shares) : IDisposable
{
    public void Dispose()
    {
        foreach (var t in In.Concat(Out)) t.Dispose();
    }
}

/// <summary>
/// Redundant-knowledge pruning as weights (docs/algorithm.md §3.4), the second pure step of the cycle end: masks (and,
/// for adaptive fusion, scores) in, new weight tensors out. The settings decide how: the fusion table with its ablations
/// ("− KI", "− Share"), or the soft adaptive weights of the scores. Shares are always counted from the masks, so
/// reports show what identification found even when the weights do not come from it.
/// </summary>
public static class FusionWeighting
{
    /// <summary>The weights the settings ask for; the caller owns them.</summary>
    public static FusionWeightMaps Weigh(
        IReadOnlyList<Tensor> inMasks, IReadOnlyList<Tensor> outMasks,
        IReadOnlyList<Tensor> innerScores, IReadOnlyList<Tensor> outerScores, KifSettings kif)
    {
        if (kif.Fusion == FusionRule.Adaptive && kif.IdentifyKnowledge)
        {
            CheckCounts(inMasks, outMasks);
            var (wIn, wOut) = AdaptiveFusionWeights.Of(innerScores, outerScores, kif.AdaptiveTemperature);
            if (wIn.Count != inMasks.Count) throw new ArgumentException("adaptive fusion needs one score pair per mask pair");
            return new FusionWeightMaps(wIn, wOut, Shares(inMasks, outMasks));
        }
        return Weigh(inMasks, outMasks, FusionWeightTable.For(kif));
    }

    /// <summary>The weights of one table over the masks (the static-importance baseline brings its own table).</summary>
    public static FusionWeightMaps Weigh(IReadOnlyList<Tensor> inMasks, IReadOnlyList<Tensor> outMasks, FusionWeightTable table)
    {
        CheckCounts(inMasks, outMasks);
        var wIn = new List<Tensor>(inMasks.Count);
        var wOut = new List<Tensor>(inMasks.Count);
        for (int i = 0; i < inMasks.Count; i++)
        {
            var (w, v) = table.Weights(inMasks[i], outMasks[i]);
            wIn.Add(w);
            wOut.Add(v);
        }
        return new FusionWeightMaps(wIn, wOut, Shares(inMasks, outMasks));
    }

    private static MaskShares Shares(IReadOnlyList<Tensor> inMasks, IReadOnlyList<Tensor> outMasks)
    {
        var shares = MaskShares.Zero;
        for (int i = 0; i < inMasks.Count; i++) shares += MaskShares.Count(inMasks[i], outMasks[i]);
        return shares;
    }

    private static void CheckCounts(IReadOnlyList<Tensor> inMasks, IReadOnlyList<Tensor> outMasks)
    {
        if (inMasks.Count != outMasks.Count) throw new ArgumentException("fusion weights need one in-mask and one out-mask per LoRA tensor");
    }
}

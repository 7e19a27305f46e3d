using TorchSharp;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Continual;

/// <summary>
/// Soft fusion weights of the paper's "+ Adaptive" ablation (the official adamerg variant): each score map is
/// min–max normalised over all LoRA scalars to [0, 1], then per scalar
/// w_in = e^{s_in/τ} / (e^{s_in/τ} + e^{s_out/τ}) and w_out = 1 − w_in.
/// Computed as w_in = sigmoid((s_in − s_out) / τ), the same value without overflow at small τ.
/// </summary>
public static class AdaptiveFusionWeights
{
    /// <summary>One (w_in, w_out) pair per LoRA tensor, fp32; the caller owns them.</summary>
    public static (IReadOnlyList<Tensor> In, IReadOnlyList<Tensor> Out) Of(IReadOnlyList<Tensor> innerScores, IReadOnlyList<Tensor> outerScores, double temperature)
    {
        if (innerScores.Count != outerScores.Count) throw new ArgumentException("adaptive fusion needs one inner and one outer score per LoRA tensor");
        if (!(temperature > 0)) throw new ArgumentException($"adaptive temperature must be > 0 (got {temperature})");
        using var _ = no_grad();
        var (inLow, inRange) = GlobalRange(innerScores);
        var (outLow, outRange) = GlobalRange(outerScores);
        var wIn = new List<Tensor>(innerScores.Count);
        var wOut = new List<Tensor>(innerScores.Count);
        for (int i = 0; i < innerScores.Count; i++)
        {
            using var scope = NewDisposeScope();
            var w = sigmoid((Normalised(innerScores[i], inLow, inRange) - Normalised(outerScores[i], outLow, outRange)) / temperature);
            wIn.Add(w.MoveToOuterDisposeScope());
            wOut.Add((1 - w).MoveToOuterDisposeScope());
        }
        return (wIn, wOut);
    }

    // A flat map (every score equal, e.g. all zero) has no ranking: it normalises to all zeros.
    private static Tensor Normalised(Tensor scores, double low, double range) =>
        range > 0 ? (scores.to(ScalarType.Float32) - low) / range : zeros_like(scores, dtype: ScalarType.Float32);

    private static (double Low, double Range) GlobalRange(IReadOnlyList<Tensor> scores)
    {
        using var scope = NewDisposeScope();
        double low = scores.Min(s => s.min().ToDouble());
        double high = scores.Max(s => s.max().ToDouble());
        return (low, high - low);
    }
}

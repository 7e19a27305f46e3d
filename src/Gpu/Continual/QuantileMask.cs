using TorchSharp;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Continual;

/// <summary>
/// Knowledge identification (docs/algorithm.md §3.3): a scalar is "key" when its score is strictly above the ρ-quantile
/// of the scores. Quantiles use linear interpolation between order statistics at position ρ·(n − 1), as
/// torch.quantile does by default. Strict "&gt;" means ties at the threshold (e.g. many exact zeros early in a cycle)
/// are not key, so a mask can hold fewer than (1 − ρ)·n elements: that is faithful to the code.
/// </summary>
public static class QuantileMask
{
    /// <summary>The ρ-quantile of a flat tensor, by two order statistics (no full sort is kept).</summary>
    public static double Threshold(Tensor flat, double quantile)
    {
        long n = flat.numel();
        if (n == 0) throw new ArgumentException("cannot take a quantile of no scores");
        double position = quantile * (n - 1);
        long below = (long)Math.Floor(position), above = (long)Math.Ceiling(position);
        double low = flat.kthvalue(below + 1, 0, false).values.item<float>();
        double high = above == below ? low : flat.kthvalue(above + 1, 0, false).values.item<float>();
        return low + (high - low) * (position - below);
    }

    /// <summary>
    /// Masks (bool, one per score tensor) of the scalars above the quantile: one threshold over all tensors when
    /// <paramref name="global"/> (the code's choice), else one per tensor. The global case concatenates the scores
    /// once (the quantile needs them all); the masks are then compared tensor by tensor.
    /// </summary>
    public static (IReadOnlyList<Tensor> Masks, IReadOnlyList<double> Thresholds) Build(IReadOnlyList<Tensor> scores, double quantile, bool global)
    {
        using var _ = no_grad();
        if (global)
        {
            double threshold;
            using (var flat = cat(scores.Select(s => s.reshape(-1)).ToList(), 0)) threshold = Threshold(flat, quantile);
            return (scores.Select(s => s.gt(threshold)).ToList(), [threshold]);
        }
        var thresholds = scores.Select(s => { using var flat = s.reshape(-1); return Threshold(flat, quantile); }).ToList();
        return (scores.Select((s, i) => s.gt(thresholds[i])).ToList(), thresholds);
    }
}

using TorchSharp;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Models.T5;

/// <summary>
/// T5's relative position buckets (Raffel et al. 2020, §2.1; HF _relative_position_bucket). A key at relative
/// position r = key − query gets one of <c>numBuckets</c> learnt biases per head: exact buckets for |r| below half
/// the range, then buckets growing logarithmically up to <c>maxDistance</c>, beyond which all share the last one.
/// The encoder is bidirectional (half the buckets for r &gt; 0); the decoder only looks back (r ≤ 0).
/// Computed in fp32 in the same operation order as HF, so bucket boundaries fall exactly where they do there.
/// </summary>
public static class T5RelativePosition
{
    /// <param name="relativePosition">int64 tensor of key − query offsets.</param>
    /// <returns>int64 bucket indices of the same shape.</returns>
    public static Tensor Bucket(Tensor relativePosition, bool bidirectional, int numBuckets, int maxDistance)
    {
        using var scope = NewDisposeScope();
        var buckets = zeros_like(relativePosition);
        var distance = relativePosition;
        if (bidirectional)
        {
            numBuckets /= 2;
            buckets = buckets + relativePosition.gt(0).to(ScalarType.Int64) * numBuckets;
            distance = relativePosition.abs();
        }
        else
        {
            distance = -relativePosition.clamp_max(0);
        }
        int maxExact = numBuckets / 2;
        var isSmall = distance.lt(maxExact);
        // Distances below maxExact take the other branch; clamping them to 1 only avoids log(0) there.
        var logRatio = (distance.clamp_min(1).to(ScalarType.Float32) / maxExact).log() / Math.Log(maxDistance / (double)maxExact);
        var large = (logRatio * (numBuckets - maxExact)).to(ScalarType.Int64) + maxExact;
        large = large.clamp_max(numBuckets - 1);
        return (buckets + where(isSmall, distance, large)).MoveToOuterDisposeScope();
    }

    /// <summary>Offsets key − query for queries <c>queryStart..queryStart+queryLength</c> and keys <c>0..keyLength</c>: [Tq, Tk].</summary>
    public static Tensor Offsets(long queryStart, long queryLength, long keyLength, Device device)
    {
        using var scope = NewDisposeScope();
        var query = arange(queryStart, queryStart + queryLength, dtype: ScalarType.Int64, device: device).unsqueeze(1);
        var key = arange(0, keyLength, dtype: ScalarType.Int64, device: device).unsqueeze(0);
        return (key - query).MoveToOuterDisposeScope();
    }
}

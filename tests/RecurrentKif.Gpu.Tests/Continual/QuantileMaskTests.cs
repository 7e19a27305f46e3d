using RecurrentKif.Gpu.Continual;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Tests.Continual;

public sealed class QuantileMaskTests
{
    [Fact]
    public void ThresholdInterpolatesLinearlyBetweenOrderStatistics()
    {
        using var values = tensor(new float[] { 10, 1, 9, 2, 8, 3, 7, 4, 6, 5 });
        // n = 10, position 0.8 · 9 = 7.2 → 8 + 0.2 · (9 − 8) = 8.2 (torch.quantile's default "linear").
        Assert.Equal(8.2, QuantileMask.Threshold(values, 0.8), 5);
        Assert.Equal(1.0, QuantileMask.Threshold(values, 0.0), 5);
        Assert.Equal(5.5, QuantileMask.Threshold(values, 0.5), 5);
    }

    [Fact]
    public void ThresholdMatchesASortBasedReferenceOnRandomScores()
    {
        manual_seed(11);
        using var scores = rand(1237);
        var sorted = scores.data<float>().ToArray().Order().ToArray();
        foreach (double q in new[] { 0.1, 0.5, 0.8, 0.95 })
        {
            double position = q * (sorted.Length - 1);
            int low = (int)Math.Floor(position), high = (int)Math.Ceiling(position);
            double expected = sorted[low] + (sorted[high] - sorted[low]) * (position - low);
            Assert.Equal(expected, QuantileMask.Threshold(scores, q), 6);
        }
    }

    [Fact]
    public void ThresholdMatchesASortBasedReferenceWhenScoresTie()
    {
        // Few distinct values: the two order statistics are often equal and, when not, the upper one is the next value up.
        manual_seed(12);
        using var scores = randint(0, 6, [501]).to(ScalarType.Float32);
        var sorted = scores.data<float>().ToArray().Order().ToArray();
        foreach (double q in new[] { 0.0, 0.1234, 0.5003, 0.8, 0.9991, 1.0 })
        {
            double position = q * (sorted.Length - 1);
            int low = (int)Math.Floor(position), high = (int)Math.Ceiling(position);
            double expected = sorted[low] + (sorted[high] - sorted[low]) * (position - low);
            Assert.Equal(expected, QuantileMask.Threshold(scores, q), 6);
        }
        // Sorted: 0 0 0 1 1 2 5 5 5 5 (shuffled): a gap, a tie and a gap across ties.
        using var few = tensor(new float[] { 5, 1, 0, 5, 2, 0, 5, 1, 0, 5 });
        Assert.Equal(0.25, QuantileMask.Threshold(few, 0.25), 6);   // position 2.25: between 0 and 1
        Assert.Equal(1.0, QuantileMask.Threshold(few, 0.4), 6);     // position 3.6: 1 and 1
        Assert.Equal(3.2, QuantileMask.Threshold(few, 0.6), 6);     // position 5.4: between 2 and 5
    }

    [Fact]
    public void GlobalMaskKeepsTheTopFifthAcrossAllTensorsWithStrictComparison()
    {
        using var a = arange(0, 50, dtype: ScalarType.Float32).view(5, 10);
        using var b = arange(50, 100, dtype: ScalarType.Float32).view(10, 5);
        var (masks, thresholds) = QuantileMask.Build([a, b], 0.8, global: true);
        Assert.Single(thresholds);
        Assert.Equal(79.2, thresholds[0], 4);
        Assert.Equal(0, masks[0].sum().item<long>());          // nothing of the low tensor is key
        Assert.Equal(20, masks[1].sum().item<long>());         // 80..99
        foreach (var m in masks) m.Dispose();
    }

    [Fact]
    public void TiesAtTheThresholdAreNotKey()
    {
        // 90 % zeros: the 0.8-quantile is 0 and "> 0" keeps only the 10 positive scores, fewer than 20 %.
        var values = Enumerable.Repeat(0f, 90).Concat(Enumerable.Range(1, 10).Select(i => (float)i)).ToArray();
        using var scores = tensor(values);
        var (masks, thresholds) = QuantileMask.Build([scores], 0.8, global: true);
        Assert.Equal(0.0, thresholds[0]);
        Assert.Equal(10, masks[0].sum().item<long>());
        masks[0].Dispose();
    }

    [Fact]
    public void LocalMasksUseOneThresholdPerTensor()
    {
        using var a = arange(0, 10, dtype: ScalarType.Float32);
        using var b = arange(100, 110, dtype: ScalarType.Float32);
        var (masks, thresholds) = QuantileMask.Build([a, b], 0.8, global: false);
        Assert.Equal(2, thresholds.Count);
        Assert.Equal(2, masks[0].sum().item<long>());
        Assert.Equal(2, masks[1].sum().item<long>());
        foreach (var m in masks) m.Dispose();
    }
}

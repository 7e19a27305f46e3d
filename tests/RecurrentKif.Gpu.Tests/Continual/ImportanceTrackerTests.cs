using RecurrentKif.Gpu.Continual;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Tests.Continual;

public sealed class ImportanceTrackerTests
{
    private static Parameter WithGradient(float weight, float gradient)
    {
        var p = new Parameter(tensor(new[] { weight }), requires_grad: true);
        using var loss = (p * gradient).sum();
        loss.backward();
        return p;
    }

    [Fact]
    public void UpdateFollowsTheSensitivityAndUncertaintyRecurrences()
    {
        using var tracker = new ImportanceTracker("t", 0.85, 0.85, ImportanceScore.SensitivityTimesUncertainty);
        tracker.Update([WithGradient(2, 3)]);                 // I = 6
        double smoothed = 0.15 * 6, uncertainty = 0.15 * Math.Abs(6 - smoothed);
        Assert.Equal(smoothed * uncertainty, tracker.Scores()[0].item<float>(), 5);
        tracker.Update([WithGradient(-1, 2)]);                // I = 2
        smoothed = 0.85 * smoothed + 0.15 * 2;
        uncertainty = 0.85 * uncertainty + 0.15 * Math.Abs(2 - smoothed);
        Assert.Equal(smoothed * uncertainty, tracker.Scores()[0].item<float>(), 5);
    }

    [Fact]
    public void UpdateIsBitIdenticalToTheTextbookRecurrencesOnWholeTensors()
    {
        manual_seed(3);
        using var tracker = new ImportanceTracker("t", 0.85, 0.85, ImportanceScore.SensitivityTimesUncertainty);
        var smoothed = zeros(32, 16);
        var uncertainty = zeros(32, 16);
        for (int step = 0; step < 3; step++)
        {
            var p = new Parameter(randn(32, 16), requires_grad: true);
            var gradient = randn(32, 16);
            (p * gradient).sum().backward();
            tracker.Update([p]);
            var sensitivity = (p.detach() * gradient).abs();
            smoothed = smoothed.mul(0.85).add(sensitivity, alpha: 1 - 0.85);
            uncertainty = uncertainty.mul(0.85).add((sensitivity - smoothed).abs(), alpha: 1 - 0.85);
        }
        Assert.True(tracker.Scores()[0].eq(smoothed * uncertainty).all().item<bool>(), "score must be bit-identical to Ī · Ū of the recurrences");
    }

    [Fact]
    public void SensitivityOnlyScoreIsTheSmoothedSensitivity()
    {
        using var tracker = new ImportanceTracker("t", 0.85, 0.85, ImportanceScore.SensitivityOnly);
        tracker.Update([WithGradient(2, 3)]);
        Assert.Equal(0.9, tracker.Scores()[0].item<float>(), 5);
    }

    [Fact]
    public void ResetReturnsToZeroStateWhileAnUnresetTrackerKeepsItsHistory()
    {
        using var inner = new ImportanceTracker("inner", 0.85, 0.85, ImportanceScore.SensitivityOnly);
        using var outer = new ImportanceTracker("outer", 0.85, 0.85, ImportanceScore.SensitivityOnly);
        inner.Update([WithGradient(2, 3)]);
        outer.Update([WithGradient(2, 3)]);
        inner.Reset();                                        // after a fusion: inner forgets, outer does not
        Assert.True(inner.IsEmpty);
        Assert.Throws<InvalidOperationException>(() => inner.Scores());
        inner.Update([WithGradient(2, 3)]);
        outer.Update([WithGradient(2, 3)]);
        Assert.Equal(0.9, inner.Scores()[0].item<float>(), 5);                    // as if fresh
        Assert.Equal(0.85 * 0.9 + 0.15 * 6, outer.Scores()[0].item<float>(), 5);  // accumulated
    }

    [Fact]
    public void NanGradientsSkipTheWholeUpdate()
    {
        using var tracker = new ImportanceTracker("t", 0.85, 0.85, ImportanceScore.SensitivityOnly);
        tracker.Update([WithGradient(2, 3), WithGradient(1, 1)]);
        var before = tracker.Scores().Select(s => s.item<float>()).ToArray();
        tracker.Update([WithGradient(2, 3), WithGradient(1, float.NaN)]);
        Assert.Equal(1, tracker.SkippedNanSteps);
        Assert.Equal(before, tracker.Scores().Select(s => s.item<float>()).ToArray());
    }
}

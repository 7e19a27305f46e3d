using RecurrentKif.Gpu.Continual;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Tests.Continual;

/// <summary>The cycle end's three pure steps (identify → weigh → merge) against hand-computed small tensors.</summary>
public sealed class CycleEndStepTests
{
    // The four combinations (m_in, m_out) in a fixed layout: [in-only, out-only, both, neither].
    private static readonly bool[] InMask = [true, false, true, false];
    private static readonly bool[] OutMask = [false, true, true, false];

    private static bool[] Values(Tensor mask) => mask.data<bool>().ToArray();
    private static float[] Floats(Tensor t) => t.data<float>().ToArray().Select(v => MathF.Round(v, 6)).ToArray();

    [Fact]
    public void IdentifyMarksTheScoresAboveOneGlobalQuantilePerSide()
    {
        // Inner 0.1 0.9 0.5 0.3 | 0.7: sorted 0.1 0.3 0.5 0.7 0.9, position 0.8·4 = 3.2 → 0.7 + 0.2·0.2 = 0.74.
        // Outer 4 3 2 1 | 5: position 3.2 → 4 + 0.2·1 = 4.2.
        IReadOnlyList<Tensor> inner = [tensor(new float[] { 0.1f, 0.9f, 0.5f, 0.3f }), tensor(new float[] { 0.7f })];
        IReadOnlyList<Tensor> outer = [tensor(new float[] { 4, 3, 2, 1 }), tensor(new float[] { 5 })];
        using var masks = KnowledgeIdentification.Identify(inner, outer, new KifSettings());
        Assert.Equal(new[] { false, true, false, false }, Values(masks.In[0]));
        Assert.Equal(new[] { false }, Values(masks.In[1]));
        Assert.Equal(new[] { false, false, false, false }, Values(masks.Out[0]));
        Assert.Equal(new[] { true }, Values(masks.Out[1]));
        Assert.Equal(0.1f, inner[0].data<float>()[0]);   // inputs untouched
    }

    [Fact]
    public void IdentifyWithPerTensorQuantilesThresholdsEachTensorAlone()
    {
        // Per tensor: 0.1 0.9 0.5 0.3 → position 2.4 → 0.5 + 0.4·0.4 = 0.66; a single score is its own quantile (not key).
        IReadOnlyList<Tensor> inner = [tensor(new float[] { 0.1f, 0.9f, 0.5f, 0.3f }), tensor(new float[] { 0.7f })];
        using var masks = KnowledgeIdentification.Identify(inner, inner, new KifSettings { GlobalQuantile = false });
        Assert.Equal(new[] { false, true, false, false }, Values(masks.In[0]));
        Assert.Equal(new[] { false }, Values(masks.In[1]));
        Assert.Equal(Values(masks.In[0]), Values(masks.Out[0]));
    }

    [Theory]
    [InlineData("code", new float[] { 1, 0, 0.4f, 0.5f }, new float[] { 0, 1, 0.6f, 0.5f })]
    [InlineData("paper-binary", new float[] { 1, 0, 1, 0 }, new float[] { 0, 1, 1, 0 })]
    [InlineData("no-share", new float[] { 1, 0, 0, 0.5f }, new float[] { 0, 1, 0, 0.5f })]
    [InlineData("no-ki", new float[] { 0.5f, 0.5f, 0.5f, 0.5f }, new float[] { 0.5f, 0.5f, 0.5f, 0.5f })]
    public void WeighFollowsTheTableTheSettingsAskFor(string variant, float[] expectedIn, float[] expectedOut)
    {
        var kif = variant switch
        {
            "code" => new KifSettings(),
            "paper-binary" => new KifSettings { Fusion = FusionRule.PaperBinary },
            "no-share" => new KifSettings { UpdateShared = false },
            _ => new KifSettings { IdentifyKnowledge = false },
        };
        using var weights = FusionWeighting.Weigh([tensor(InMask)], [tensor(OutMask)], [zeros(4)], [zeros(4)], kif);
        Assert.Equal(expectedIn, Floats(weights.In[0]));
        Assert.Equal(expectedOut, Floats(weights.Out[0]));
        Assert.Equal(new MaskShares(1, 1, 1, 1), weights.Shares);   // counted from the masks whatever the weights
    }

    [Fact]
    public void WeighWithAdaptiveFusionUsesTheScoresAndCountsTheMasks()
    {
        // Inner 0, 2 | 4 normalise to 0, 0.5 | 1; outer 1, 1 | 3 to 0, 0 | 1; w_in = sigmoid(s_in − s_out): 0.5, 0.6224593 | 0.5.
        var kif = new KifSettings { Fusion = FusionRule.Adaptive, AdaptiveTemperature = 1.0 };
        using var weights = FusionWeighting.Weigh(
            [tensor(new[] { true, false }), tensor(new[] { false })], [tensor(new[] { true, true }), tensor(new[] { false })],
            [tensor(new float[] { 0, 2 }), tensor(new float[] { 4 })], [tensor(new float[] { 1, 1 }), tensor(new float[] { 3 })], kif);
        Assert.Equal(new[] { 0.5f, 0.622459f }, Floats(weights.In[0]));
        Assert.Equal(new[] { 0.5f }, Floats(weights.In[1]));
        Assert.Equal(new[] { 0.5f, 0.377541f }, Floats(weights.Out[0]));
        Assert.Equal(new MaskShares(InOnly: 0, OutOnly: 1, Both: 1, Neither: 1), weights.Shares);
    }

    [Fact]
    public void MergeReturnsNewTensorsAndLeavesItsInputsAsTheyWere()
    {
        var reference = tensor(new float[] { 1, 1, 1 });
        var afterInner = tensor(new float[] { 3, 3, 3 });   // τ_in = 2
        var theta = tensor(new float[] { 7, 7, 7 });        // τ_out = 4
        var fused = KnowledgeMerge.Merge([reference], [afterInner], [theta],
            [tensor(new float[] { 0.25f, 1, 0.4f })], [tensor(new float[] { 0.75f, 0, 0.6f })]);
        // 1 + 0.25·2 + 0.75·4 = 4.5; 1 + 2 = 3; 1 + 0.8 + 2.4 = 4.2
        Assert.Equal(new[] { 4.5f, 3f, 4.2f }, Floats(fused[0]));
        Assert.Equal(new[] { 7f, 7f, 7f }, Floats(theta));
        Assert.Equal(new[] { 1f, 1f, 1f }, Floats(reference));
        Assert.Equal(new[] { 3f, 3f, 3f }, Floats(afterInner));
    }

    [Fact]
    public void MergeRefusesMismatchedLists() =>
        Assert.Throws<ArgumentException>(() => KnowledgeMerge.Merge([zeros(2)], [zeros(2)], [zeros(2), zeros(2)], [ones(2)], [ones(2)]));
}

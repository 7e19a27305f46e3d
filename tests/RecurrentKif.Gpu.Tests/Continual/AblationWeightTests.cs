using RecurrentKif.Gpu.Continual;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Tests.Continual;

/// <summary>The ablations that change the fusion weights, on hand-made masks and scores.</summary>
public sealed class AblationWeightTests
{
    // The four combinations (m_in, m_out) in a fixed layout: [in-only, out-only, both, neither].
    private static readonly bool[] InMask = [true, false, true, false];
    private static readonly bool[] OutMask = [false, true, true, false];

    private static (float[] In, float[] Out) TableWeights(KifSettings kif)
    {
        var (wIn, wOut) = FusionWeightTable.For(kif).Weights(tensor(InMask), tensor(OutMask));
        return (wIn.data<float>().ToArray(), wOut.data<float>().ToArray());
    }

    [Fact]
    public void DefaultSettingsGiveTheCodeTable()
    {
        Assert.Equal(FusionWeightTable.Code, FusionWeightTable.For(new KifSettings()));
        Assert.Equal(FusionWeightTable.PaperBinary, FusionWeightTable.For(new KifSettings { Fusion = FusionRule.PaperBinary }));
    }

    [Fact]
    public void WithoutKnowledgeIdentificationEveryScalarIsAveraged()
    {
        var (wIn, wOut) = TableWeights(new KifSettings { IdentifyKnowledge = false });
        Assert.Equal(new float[] { 0.5f, 0.5f, 0.5f, 0.5f }, wIn);
        Assert.Equal(new float[] { 0.5f, 0.5f, 0.5f, 0.5f }, wOut);

        // τ_in = 2, τ_out = 4 everywhere: θ = 1 + 0.5·2 + 0.5·4 = 4 whatever the masks say.
        var theta = tensor(new float[] { 7, 7, 7, 7 });
        var kif = new KifSettings { IdentifyKnowledge = false };
        using var weights = FusionWeighting.Weigh([tensor(InMask)], [tensor(OutMask)], [zeros(4)], [zeros(4)], kif);
        var fused = KnowledgeMerge.Merge([tensor(new float[] { 1, 1, 1, 1 })], [tensor(new float[] { 3, 3, 3, 3 })], [theta], weights.In, weights.Out);
        Assert.Equal(new[] { 4f, 4f, 4f, 4f }, fused[0].data<float>().ToArray());
    }

    [Fact]
    public void WithoutSharedUpdatesTheBothElementsGetNothing()
    {
        var (wIn, wOut) = TableWeights(new KifSettings { UpdateShared = false });
        Assert.Equal(new float[] { 1, 0, 0, 0.5f }, wIn);
        Assert.Equal(new float[] { 0, 1, 0, 0.5f }, wOut);
    }

    [Fact]
    public void AdaptiveWeightsFollowTheSoftmaxOfTheNormalisedScores()
    {
        // Inner scores 0, 2 | 4 normalise (min 0, max 4) to 0, 0.5 | 1; outer 1, 1 | 3 (min 1, max 3) to 0, 0 | 1.
        IReadOnlyList<Tensor> inner = [tensor(new float[] { 0, 2 }), tensor(new float[] { 4 })];
        IReadOnlyList<Tensor> outer = [tensor(new float[] { 1, 1 }), tensor(new float[] { 3 })];

        var (wIn, wOut) = AdaptiveFusionWeights.Of(inner, outer, temperature: 1.0);
        // e^0/(e^0+e^0) = 0.5; e^0.5/(e^0.5+e^0) = 0.6224593; e^1/(e^1+e^1) = 0.5
        AssertClose([0.5, 0.6224593], wIn[0]);
        AssertClose([0.5], wIn[1]);
        AssertClose([0.5, 0.3775407], wOut[0]);
        AssertClose([0.5], wOut[1]);

        // τ = 0.5 sharpens: e^1/(e^1+e^0) = 0.7310586.
        var (sharper, _) = AdaptiveFusionWeights.Of(inner, outer, temperature: 0.5);
        AssertClose([0.5, 0.7310586], sharper[0]);
    }

    [Fact]
    public void AFlatScoreMapCountsAsAllZero()
    {
        // Outer all equal → normalised to 0; inner 0 | 1 → w_in = 0.5 and e^1/(e^1+1) = 0.7310586.
        var (wIn, _) = AdaptiveFusionWeights.Of([tensor(new float[] { 5, 7 })], [tensor(new float[] { 2, 2 })], temperature: 1.0);
        AssertClose([0.5, 0.7310586], wIn[0]);
    }

    [Fact]
    public void SoftWeightsGoThroughTheSameFusion()
    {
        var theta = tensor(new float[] { 7, 7 });   // τ_out = 4
        var fused = KnowledgeMerge.Merge([tensor(new float[] { 1, 1 })], [tensor(new float[] { 3, 3 })], [theta],  // τ_in = 2
            [tensor(new float[] { 0.25f, 1 })], [tensor(new float[] { 0.75f, 0 })]);
        // 1 + 0.25·2 + 0.75·4 = 4.5; 1 + 1·2 + 0·4 = 3
        Assert.Equal(new[] { 4.5f, 3f }, fused[0].data<float>().ToArray());
    }

    [Fact]
    public void AdaptiveFusionRefusesTheMaskTableAblations()
    {
        Assert.Throws<ArgumentException>(() => new KifSettings { Fusion = FusionRule.Adaptive, IdentifyKnowledge = false }.Validate());
        Assert.Throws<ArgumentException>(() => new KifSettings { Fusion = FusionRule.Adaptive, UpdateShared = false }.Validate());
        Assert.Throws<ArgumentException>(() => new KifSettings { AdaptiveTemperature = 0 }.Validate());
        new KifSettings { Fusion = FusionRule.Adaptive, AdaptiveTemperature = 0.1 }.Validate();
    }

    private static void AssertClose(double[] expected, Tensor actual)
    {
        var values = actual.data<float>().ToArray();
        Assert.Equal(expected.Length, values.Length);
        for (int i = 0; i < values.Length; i++) Assert.Equal(expected[i], values[i], 5);
    }
}

using RecurrentKif.Gpu.Continual;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Tests.Continual;

public sealed class FusionTests
{
    // The four combinations (m_in, m_out) in a fixed layout: [in-only, out-only, both, neither].
    private static readonly bool[] InMask = [true, false, true, false];
    private static readonly bool[] OutMask = [false, true, true, false];

    [Fact]
    public void CodeWeightTableHoldsOnHandMadeMasks()
    {
        var (wIn, wOut) = FusionWeightTable.Code.Weights(tensor(InMask), tensor(OutMask));
        Assert.Equal(new float[] { 1, 0, 0.4f, 0.5f }, wIn.data<float>().ToArray());
        Assert.Equal(new float[] { 0, 1, 0.6f, 0.5f }, wOut.data<float>().ToArray());
    }

    [Fact]
    public void PaperBinaryWeightsAreTheMasksThemselves()
    {
        var (wIn, wOut) = FusionWeightTable.PaperBinary.Weights(tensor(InMask), tensor(OutMask));
        Assert.Equal(new float[] { 1, 0, 1, 0 }, wIn.data<float>().ToArray());
        Assert.Equal(new float[] { 0, 1, 1, 0 }, wOut.data<float>().ToArray());
    }

    [Fact]
    public void FusionAppliesTheTableToBothTaskVectors()
    {
        var reference = tensor(new float[] { 1, 1, 1, 1 });
        var afterInner = tensor(new float[] { 3, 3, 3, 3 });                 // τ_in = 2
        var theta = new Parameter(tensor(new float[] { 7, 7, 7, 7 }), requires_grad: true); // τ_out = 4
        var (fused, shares) = Fuse(theta, reference, afterInner, tensor(InMask), tensor(OutMask), FusionWeightTable.Code);
        // in-only: 1 + 2; out-only: 1 + 4; both: 1 + 0.4·2 + 0.6·4; neither: 1 + 0.5·2 + 0.5·4
        Assert.Equal(new[] { 3f, 5f, 4.2f, 4f }, fused.data<float>().ToArray().Select(v => MathF.Round(v, 5)).ToArray());
        Assert.Equal(new[] { 7f, 7f, 7f, 7f }, theta.data<float>().ToArray());   // the merge reads θ, never writes it
        Assert.Equal(new MaskShares(1, 1, 1, 1), shares);
    }

    [Fact]
    public void AllOnesMasksInPaperBinaryModeEqualSequentialInnerPlusOuterTraining()
    {
        manual_seed(2);
        var reference = randn(8, 16);
        var afterInner = reference + randn(8, 16) * 0.1;
        var sequential = afterInner + randn(8, 16) * 0.1;
        var theta = new Parameter(sequential.clone(), requires_grad: true);
        var allKey = ones(8, 16, dtype: ScalarType.Bool);
        var (fused, _) = Fuse(theta, reference, afterInner, allKey, allKey, FusionWeightTable.PaperBinary);
        Assert.True(fused.allclose(sequential, rtol: 0, atol: 1e-6), "θ_ref + τ_in + τ_out must be the sequentially trained θ");
    }

    [Fact]
    public void AllZeroMasksInCodeModeAverageTheTwoUpdates()
    {
        var reference = zeros(3);
        var afterInner = full(3, 2f);
        var theta = new Parameter(full(3, 8f), requires_grad: true);
        var none = zeros(3, dtype: ScalarType.Bool);
        var (fused, _) = Fuse(theta, reference, afterInner, none, none, FusionWeightTable.Code);
        Assert.Equal(new[] { 4f, 4f, 4f }, fused.data<float>().ToArray()); // 0.5·2 + 0.5·6
    }

    [Fact]
    public void FusionIsBitIdenticalToTheTextbookFormulaAndCountsEveryCombination()
    {
        manual_seed(5);
        var reference = randn(64, 48);
        var afterInner = reference + randn(64, 48) * 0.01;
        var start = afterInner + randn(64, 48) * 0.01;
        var inMask = rand(64, 48).gt(0.7);
        var outMask = rand(64, 48).gt(0.6);
        var (wIn, wOut) = FusionWeightTable.Code.Weights(inMask, outMask);
        var textbook = reference + wIn * (afterInner - reference) + wOut * (start - afterInner);
        var theta = new Parameter(start.clone(), requires_grad: true);
        var (fused, shares) = Fuse(theta, reference, afterInner, inMask, outMask, FusionWeightTable.Code);
        Assert.True(fused.eq(textbook).all().item<bool>(), "fusion must be bit-identical to θ_ref + w_in ⊙ τ_in + w_out ⊙ τ_out");
        long both = inMask.logical_and(outMask).sum().item<long>();
        long inCount = inMask.sum().item<long>(), outCount = outMask.sum().item<long>();
        Assert.Equal(new MaskShares(inCount - both, outCount - both, both, inMask.numel() - inCount - outCount + both), shares);
    }

    /// <summary>Pruning by one table, then merging: the fused θ and the shares.</summary>
    private static (Tensor Fused, MaskShares Shares) Fuse(Tensor theta, Tensor reference, Tensor afterInner, Tensor inMask, Tensor outMask, FusionWeightTable table)
    {
        using var weights = FusionWeighting.Weigh([inMask], [outMask], table);
        return (KnowledgeMerge.Merge([reference], [afterInner], [theta], weights.In, weights.Out)[0], weights.Shares);
    }
}

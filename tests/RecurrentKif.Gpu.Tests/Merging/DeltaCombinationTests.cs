using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Merging;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Tests.Merging;

/// <summary>Every combination method against tensors worked out by hand (docs/merging.md has the definitions).</summary>
public sealed class DeltaCombinationTests
{
    private const string Layer = "model.layers.0.self_attn.q_proj";

    private static Tensor T(params float[] values) => tensor(values);

    private static void AssertExactly(float[] expected, Tensor actual) =>
        Assert.Equal(expected, actual.data<float>().ToArray());

    [Fact]
    public void LinearIsTheWeightedMeanWhenNormalisedAndTheWeightedSumOtherwise()
    {
        using var a = tensor(new float[] { 1, 2, 3, 4 }, [2, 2]);
        using var b = tensor(new float[] { 5, -6, 0, 8 }, [2, 2]);
        var linear = DeltaCombinations.Get("linear");
        // (1·a + 3·b) / 4 = [[16, −16], [3, 28]] / 4.
        using var mean = linear.Combine([a, b], new DeltaCombinationOptions { Weights = [1, 3] }, Layer);
        AssertExactly([4, -4, 0.75f, 7], mean);
        Assert.Equal(new long[] { 2, 2 }, mean.shape);
        using var sum = linear.Combine([a, b], new DeltaCombinationOptions { Weights = [1, 3], Normalize = false }, Layer);
        AssertExactly([16, -16, 3, 28], sum);
        // The inputs are left as they were.
        AssertExactly([1, 2, 3, 4], a);
    }

    [Fact]
    public void KeepLargestKeepsTheTopMagnitudeShare()
    {
        using var delta = T(1, -2, 3, -4);
        using var half = DeltaOperations.KeepLargest(delta, 0.5);
        AssertExactly([0, 0, 3, -4], half);
        using var quarter = DeltaOperations.KeepLargest(delta, 0.25);
        AssertExactly([0, 0, 0, -4], quarter);
        using var all = DeltaOperations.KeepLargest(delta, 1.0);
        AssertExactly([1, -2, 3, -4], all);
    }

    [Fact]
    public void TiesTrimsElectsASignAndAveragesOnlyTheAgreeingEntries()
    {
        using var a = T(1, -2, 3, -4);
        using var b = T(-3, 1, 2, 0.5f);
        var ties = DeltaCombinations.Get("ties");
        // Trimmed to half: a → [0, 0, 3, −4], b → [−3, 0, 2, 0]. Elected sign of the sum [−3, 0, 5, −4]: [−, 0, +, −].
        // Entry 0: only b agrees → −3. Entry 1: no sign → 0. Entry 2: both → (3 + 2) / 2. Entry 3: only a → −4.
        using var merged = ties.Combine([a, b], new DeltaCombinationOptions { Density = 0.5 }, Layer);
        AssertExactly([-3, 0, 2.5f, -4], merged);
        using var summed = ties.Combine([a, b], new DeltaCombinationOptions { Density = 0.5, Normalize = false }, Layer);
        AssertExactly([-3, 0, 5, -4], summed);
        // Weights 2 and 1: sum [−3, 0, 8, −8] elects the same signs; entry 2 = (2·3 + 1·2) / (2 + 1), entry 3 = 2·(−4) / 2.
        using var weighted = ties.Combine([a, b], new DeltaCombinationOptions { Density = 0.5, Weights = [2, 1] }, Layer);
        AssertExactly([-3, 0, 8f / 3, -4], weighted);
    }

    [Fact]
    public void TiesDropsTheAdaptersThatDisagreeWithTheElectedSign()
    {
        using var a = T(2);
        using var b = T(-1);
        using var c = T(-0.5f);
        // Sum 0.5 elects +: only a counts, where a mean would give 1/6.
        using var merged = DeltaCombinations.Get("ties").Combine([a, b, c], new DeltaCombinationOptions(), Layer);
        AssertExactly([2], merged);
    }

    [Fact]
    public void DareAtFullDensityIsLinearAndDareTiesIsTies()
    {
        using var a = T(1, -2, 3, -4);
        using var b = T(-3, 1, 2, 0.5f);
        var options = new DeltaCombinationOptions { Weights = [1, 3], Density = 1.0 };
        using var dare = DeltaCombinations.Get("dare").Combine([a, b], options, Layer);
        // (1·a + 3·b) / 4.
        AssertExactly([-2, 0.25f, 2.25f, -0.625f], dare);
        // Sum a + 3b = [−8, 1, 9, −2.5]: signs [−, +, +, −]; entry 0: b → −3; 1: b → 1; 2: (3 + 3·2) / 4; 3: a → −4.
        using var dareTies = DeltaCombinations.Get("dare_ties").Combine([a, b], options, Layer);
        AssertExactly([-3, 1, 2.25f, -4], dareTies);
    }

    [Fact]
    public void DareKeepsEachEntryByItsSeededDrawAndRescalesByTheDensity()
    {
        float[] values = Enumerable.Range(1, 16).Select(i => (float)i).ToArray();
        using var delta = tensor(values, [4, 4]);
        var options = new DeltaCombinationOptions { Density = 0.5, Seed = 7 };
        using var dropped = DeltaCombinations.Get("dare").Combine([delta], options, Layer);

        // The documented draw: one SeededRandom stream per (seed, layer, adapter), an entry kept when its uniform < density.
        var random = new SeededRandom(SeededRandom.DeriveSeed(SeededRandom.DeriveSeed(7, SeededRandom.StableHash(Layer)), 0));
        float[] expected = values.Select(v => random.NextDouble() < 0.5 ? v * 2 : 0f).ToArray();
        AssertExactly(expected, dropped);
        Assert.Contains(0f, expected);
        Assert.Contains(expected, v => v != 0);

        // The same seed gives the same merge; another seed or another layer another draw.
        using var again = DeltaCombinations.Get("dare").Combine([delta], options, Layer);
        AssertExactly(expected, again);
        using var otherSeed = DeltaCombinations.Get("dare").Combine([delta], options with { Seed = 8 }, Layer);
        Assert.NotEqual(expected, otherSeed.data<float>().ToArray());
        using var otherLayer = DeltaCombinations.Get("dare").Combine([delta], options, "model.layers.1.self_attn.q_proj");
        Assert.NotEqual(expected, otherLayer.data<float>().ToArray());
    }

    [Fact]
    public void DareKeepsAboutTheDensityShareAndPreservesTheExpectedDelta()
    {
        using var delta = ones(100_000);
        using var dropped = DeltaOperations.DropAndRescale(delta, 0.3, seed: 11);
        double kept = dropped.ne(0).to(ScalarType.Float64).mean().item<double>();
        // Binomial(100 000, 0.3): the standard deviation of the share is 0.00145; 5 of them is a safe band.
        Assert.InRange(kept, 0.3 - 0.0073, 0.3 + 0.0073);
        Assert.Equal(1 / 0.3, dropped.max().item<float>(), precision: 5);
    }

    [Fact]
    public void TheRegistryNamesEveryMethodAndRefusesAnUnknownOne()
    {
        Assert.Equal(["dare", "dare_ties", "linear", "ties"], DeltaCombinations.Names.Order(StringComparer.Ordinal));
        var e = Assert.Throws<ArgumentException>(() => DeltaCombinations.Get("slerp"));
        Assert.Contains("slerp", e.Message);
        Assert.Contains("ties", e.Message);
    }

    [Fact]
    public void TheCombinerTreatsALayerAnAdapterLacksAsZeroAndChecksWeightsAndShapes()
    {
        using var q1 = T(2, 4);
        using var q2 = T(6, 8);
        using var v1 = T(1, 1);
        IReadOnlyList<ModuleDelta> first = [new("model.layers.0.self_attn.q_proj", q1), new("model.layers.0.self_attn.v_proj", v1)];
        IReadOnlyList<ModuleDelta> second = [new("model.layers.0.self_attn.q_proj", q2)];
        var combined = AdapterCombiner.Combine([first, second], DeltaCombinations.Get("linear"), new DeltaCombinationOptions());
        try
        {
            Assert.Equal(["model.layers.0.self_attn.q_proj", "model.layers.0.self_attn.v_proj"], combined.Select(d => d.ModulePath));
            AssertExactly([4, 6], combined[0].Delta);
            // v_proj: (1 + 0) / 2.
            AssertExactly([0.5f, 0.5f], combined[1].Delta);
        }
        finally { foreach (var d in combined) d.Delta.Dispose(); }

        Assert.Throws<ArgumentException>(() => AdapterCombiner.Combine([first, second], DeltaCombinations.Get("linear"), new DeltaCombinationOptions { Weights = [1] }));
        Assert.Throws<ArgumentException>(() => AdapterCombiner.Combine([first, second], DeltaCombinations.Get("ties"), new DeltaCombinationOptions { Density = 0 }));
        using var wide = T(1, 2, 3);
        IReadOnlyList<ModuleDelta> mismatched = [new("model.layers.0.self_attn.q_proj", wide)];
        var e = Assert.Throws<ArgumentException>(() => AdapterCombiner.Combine([first, mismatched], DeltaCombinations.Get("linear"), new DeltaCombinationOptions()));
        Assert.Contains("q_proj", e.Message);
    }
}

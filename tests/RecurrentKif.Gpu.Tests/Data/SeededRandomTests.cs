using RecurrentKif.Gpu.Data;

namespace RecurrentKif.Gpu.Tests.Data;

public class SeededRandomTests
{
    // Reference values from an independent xoshiro256** implementation seeded with SplitMix64
    // (whose first output for state 0 is the published 0xE220A8397B1DCDAF). They pin the sequence
    // so that saved data orders stay valid across .NET versions and refactorings.
    [Theory]
    [InlineData(0L, 0x99ec5f36cb75f2b4UL, 0xbf6e1f784956452aUL, 0x1a5f849d4933e6e0UL)]
    [InlineData(42L, 0x15780b2e0c2ec716UL, 0x6104d9866d113a7eUL, 0xae17533239e499a1UL)]
    public void MatchesReferenceSequence(long seed, ulong first, ulong second, ulong third)
    {
        var rng = new SeededRandom(seed);

        Assert.Equal([first, second, third], new[] { rng.NextUInt64(), rng.NextUInt64(), rng.NextUInt64() });
    }

    [Fact]
    public void ImportedStateReplaysTheSameSequence()
    {
        var rng = new SeededRandom(7);
        for (int i = 0; i < 5; i++) rng.NextUInt64();
        SeededRandomState saved = rng.ExportState();
        int[] expected = Enumerable.Range(0, 20).Select(_ => rng.NextInt(1000)).ToArray();

        var resumed = SeededRandom.FromState(saved);
        int[] replayed = Enumerable.Range(0, 20).Select(_ => resumed.NextInt(1000)).ToArray();

        Assert.Equal(expected, replayed);
        Assert.NotEqual(saved, rng.ExportState());
    }

    [Fact]
    public void RejectsTheAllZeroState()
    {
        Assert.Throws<ArgumentException>(() => SeededRandom.FromState(new SeededRandomState(0, 0, 0, 0)));
    }

    [Fact]
    public void DifferentSeedsGiveDifferentSequences()
    {
        Assert.NotEqual(new SeededRandom(1).NextUInt64(), new SeededRandom(2).NextUInt64());
        Assert.NotEqual(SeededRandom.DeriveSeed(42, 0), SeededRandom.DeriveSeed(42, 1));
    }

    [Fact]
    public void NextIntIsInRangeAndRoughlyUniform()
    {
        var rng = new SeededRandom(3);
        var counts = new int[3];
        for (int i = 0; i < 30_000; i++) counts[rng.NextInt(3)]++;

        Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500));
        Assert.Equal(0, new SeededRandom(3).NextInt(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => rng.NextInt(0));
    }

    [Fact]
    public void NextDoubleIsInTheUnitIntervalWithMeanNearHalf()
    {
        var rng = new SeededRandom(4);
        double[] draws = Enumerable.Range(0, 20_000).Select(_ => rng.NextDouble()).ToArray();

        Assert.All(draws, d => Assert.InRange(d, 0.0, 0.9999999999999999));
        Assert.InRange(draws.Average(), 0.49, 0.51);
    }

    [Fact]
    public void ShuffleIsADeterministicPermutation()
    {
        int[] a = Enumerable.Range(0, 100).ToArray(), b = Enumerable.Range(0, 100).ToArray();
        new SeededRandom(5).Shuffle(a);
        new SeededRandom(5).Shuffle(b);

        Assert.Equal(a, b);
        Assert.Equal(Enumerable.Range(0, 100), a.Order());
        Assert.NotEqual(Enumerable.Range(0, 100), a);
    }

    [Fact]
    public void ShuffleReachesEveryOrderOfThreeItemsEvenly()
    {
        var rng = new SeededRandom(6);
        var counts = new Dictionary<string, int>();
        for (int i = 0; i < 6_000; i++)
        {
            char[] items = ['a', 'b', 'c'];
            rng.Shuffle(items);
            string key = new(items);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        Assert.Equal(6, counts.Count);
        Assert.All(counts.Values, c => Assert.InRange(c, 850, 1_150));
    }

    [Fact]
    public void SampleIndicesAreDistinctAndInRange()
    {
        int[] sample = new SeededRandom(8).SampleIndices(50, 20);

        Assert.Equal(20, sample.Distinct().Count());
        Assert.All(sample, i => Assert.InRange(i, 0, 49));
    }
}

using RecurrentKif.Gpu.Data;

namespace RecurrentKif.Gpu.Tests.Data;

public class EpochSamplerTests
{
    [Fact]
    public void EachEpochIsAPermutationReproducibleFromSeedAndEpochAlone()
    {
        var sampler = new EpochSampler(100, seed: 42);
        int[] epoch0 = sampler.OrderForEpoch(0);
        int[] epoch1 = sampler.OrderForEpoch(1);

        Assert.Equal(Enumerable.Range(0, 100), epoch0.Order());
        Assert.NotEqual(epoch0, epoch1);
        // A resumed run builds a new sampler and asks for epoch 1 directly.
        Assert.Equal(epoch1, new EpochSampler(100, seed: 42).OrderForEpoch(1));
        Assert.NotEqual(epoch1, new EpochSampler(100, seed: 43).OrderForEpoch(1));
    }

    [Fact]
    public void BatchesCoverTheEpochOrderWithASmallerLastBatch()
    {
        var sampler = new EpochSampler(10, seed: 1);

        IReadOnlyList<int[]> batches = sampler.BatchesForEpoch(2, batchSize: 4);

        Assert.Equal([4, 4, 2], batches.Select(b => b.Length));
        Assert.Equal(sampler.OrderForEpoch(2), batches.SelectMany(b => b));
        Assert.Equal(2, sampler.BatchesForEpoch(2, batchSize: 4, dropLast: true).Count);
    }
}

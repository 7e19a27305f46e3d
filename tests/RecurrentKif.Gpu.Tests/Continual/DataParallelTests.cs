using RecurrentKif.Gpu.Continual;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Tests.Continual;

/// <summary>The two pieces of Recurrent-KIF-DP: how a batch is shared among learners, and the cycle-end average.</summary>
public sealed class DataParallelTests
{
    [Fact]
    public void EveryExampleOfABatchGoesToExactlyOneLearner()
    {
        int[] batch = Enumerable.Range(100, 16).ToArray();
        var shares = Enumerable.Range(0, 3).Select(r => new DataShard(r, 3).Slice(batch, 2)).ToList();
        Assert.Equal(batch.Order(), shares.SelectMany(s => s.SelectMany(b => b)).Order());
        Assert.Equal([100, 103, 106, 109, 112, 115], shares[0].SelectMany(b => b));
        Assert.All(shares.SelectMany(s => s), micro => Assert.InRange(micro.Length, 1, 2));
    }

    [Fact]
    public void TheWholeShardKeepsTheBatchAsItIs()
    {
        int[] batch = [5, 3, 9, 1, 7];
        var whole = DataShard.Whole.Slice(batch, 2);
        Assert.Equal([[5, 3], [9, 1], [7]], whole);
    }

    [Fact]
    public void ABatchSmallerThanTheLearnerCountIsTrainedWholeByEveryLearner()
    {
        Assert.Equal([[4, 2]], new DataShard(2, 3).Slice([4, 2], 8));
    }

    [Fact]
    public void ARankOutsideTheGroupIsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new DataShard(3, 3).Slice([1, 2, 3], 1));

    [Fact]
    public void TheAverageOfOneLearnerIsAnExactCopy()
    {
        using var t = randn(17, 5);
        var mean = DataParallelAverage.Mean([[t]]);
        Assert.Equal(t.bytes.ToArray(), mean[0].bytes.ToArray());
        Assert.NotSame(t, mean[0]);
        mean[0].Dispose();
    }

    [Fact]
    public void TheAverageIsElementWiseAndInRankOrder()
    {
        using var a = tensor(new float[] { 1, 2, 3 });
        using var b = tensor(new float[] { 3, 6, -3 });
        var mean = DataParallelAverage.Mean([[a], [b]]);
        Assert.Equal([2f, 4f, 0f], mean[0].data<float>().ToArray());
        mean[0].Dispose();
        Assert.Throws<ArgumentException>(() => DataParallelAverage.Mean([[a], [a, b]]));
    }
}

namespace RecurrentKif.Gpu.Data;

/// <summary>
/// Training order of a dataset per epoch. Each epoch's permutation comes from its own stream derived from
/// (seed, epoch), so epoch e is the same whether the run got there directly or resumed from a checkpoint:
/// a resumed run only needs the seed and the epoch number to replay the same batches.
/// </summary>
public sealed class EpochSampler
{
    private readonly long _seed;

    public EpochSampler(int count, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Count = count;
        _seed = seed;
    }

    public int Count { get; }

    /// <summary>A permutation of 0..Count-1 for <paramref name="epoch"/> (0-based).</summary>
    public int[] OrderForEpoch(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        var order = new int[Count];
        for (int i = 0; i < Count; i++) order[i] = i;
        new SeededRandom(SeededRandom.DeriveSeed(_seed, epoch)).Shuffle(order);
        return order;
    }

    /// <summary>The epoch's order cut into batches; the last batch is smaller unless dropped.</summary>
    public IReadOnlyList<int[]> BatchesForEpoch(int epoch, int batchSize, bool dropLast = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        int[] order = OrderForEpoch(epoch);
        var batches = new List<int[]>();
        for (int start = 0; start < order.Length; start += batchSize)
        {
            int size = Math.Min(batchSize, order.Length - start);
            if (size < batchSize && dropLast) break;
            batches.Add(order[start..(start + size)]);
        }
        return batches;
    }
}

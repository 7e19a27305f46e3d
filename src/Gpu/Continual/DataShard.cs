namespace RecurrentKif.Gpu.Continual;

/// <summary>
/// Learner <see cref="Rank"/> of <see cref="Count"/> in the data-parallel variant: every learner walks the same seeded
/// batch order, and each trains on the examples at positions Rank, Rank + Count, … of every (global) batch. So the
/// data cursor stays the step count for every learner, and any learner's checkpoint can resume any rank.
/// </summary>
public sealed record DataShard(int Rank, int Count)
{
    public static readonly DataShard Whole = new(0, 1);

    public bool IsWhole => Count == 1;

    /// <summary>
    /// This learner's share of one global batch, cut into micro-batches of at most <paramref name="microBatchSize"/>.
    /// A batch smaller than the learner count would leave some learners without data; they then train on the whole
    /// batch (duplicated work rather than a step with no gradient, which AdamW would still move).
    /// </summary>
    public IReadOnlyList<int[]> Slice(int[] batch, int microBatchSize)
    {
        if (Rank < 0 || Rank >= Count) throw new ArgumentOutOfRangeException(nameof(Rank), $"rank {Rank} outside 0..{Count - 1}");
        int[] mine = batch.Length >= Count ? batch.Where((_, position) => position % Count == Rank).ToArray() : batch;
        return mine.Chunk(Math.Max(1, microBatchSize)).ToList();
    }
}

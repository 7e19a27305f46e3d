namespace RecurrentKif.Gpu.Data;

/// <summary>The small per-task dev subset used for validation loss and checkpoint choice (docs/algorithm.md §5.5).</summary>
public static class ValidationSet
{
    /// <summary>Shuffles a copy of <paramref name="dev"/> with <paramref name="seed"/> and keeps the first min(perTask, n).</summary>
    public static IReadOnlyList<TaskExample> Take(IReadOnlyList<TaskExample> dev, int perTask, int seed)
    {
        ArgumentNullException.ThrowIfNull(dev);
        ArgumentOutOfRangeException.ThrowIfNegative(perTask);
        var shuffled = dev.ToArray();
        new SeededRandom(seed).Shuffle(shuffled);
        return shuffled[..Math.Min(perTask, shuffled.Length)];
    }
}

namespace RecurrentKif.Gpu.Data;

/// <summary>
/// The replay memory of one earlier task, sampled as the official <c>load_memory_buffer</c> does
/// (docs/algorithm.md §5.5): a class-balanced draw, then a random top-up to the target size.
/// </summary>
public static class ReplayMemory
{
    /// <summary>
    /// n_mem = max(floor(ratio × |train|), #labels) when ratio &gt; 0; per_class = max(1, n_mem / #labels) (integer division).
    /// For each label in order of first appearance, per_class distinct examples of that label drawn
    /// uniformly (all of them if it has fewer); then, while the total is below n_mem, distinct random
    /// examples from the rest. Result order: labels in that order, each in draw order, then the top-up.
    /// As in the reference, per_class × #labels may exceed n_mem when there are many labels.
    /// The reference takes n_mem = floor(ratio × |train|) alone, which is 0 for a task of fewer than 1 / ratio examples
    /// (under 50 at 2 %): Recurrent-KIF would then silently run as plain LoRA. So n_mem is raised to one example per
    /// label; wherever the floor is at least #labels (every benchmark task) the draw is the reference's, unchanged.
    /// A ratio of 0 still means no memory. <see cref="Draw"/> says whether the floor was raised.
    /// Pass the run's one memory generator through the tasks in order, so each task's buffer is the same
    /// for every later task.
    /// </summary>
    public static IReadOnlyList<TaskExample> BuildClassBalanced(IReadOnlyList<TaskExample> train, double ratio, SeededRandom rng) =>
        Draw(train, ratio, rng).Examples;

    /// <summary><see cref="BuildClassBalanced"/>, with the size the ratio alone would have given.</summary>
    public static MemoryDraw Draw(IReadOnlyList<TaskExample> train, double ratio, SeededRandom rng)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(rng);
        if (!(ratio >= 0 && ratio <= 1)) throw new ArgumentOutOfRangeException(nameof(ratio), ratio, "The memory ratio must lie in [0, 1].");

        // The epsilon keeps 0.02 × 1000 (19.999… or 20.000…1 in binary) at 20, as Python's int() gives.
        int byRatio = (int)Math.Floor(ratio * train.Count + 1e-9);
        if (ratio == 0 || train.Count == 0) return new MemoryDraw([], byRatio, 0);

        var indicesByLabel = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var labelsInOrder = new List<string>();
        for (int i = 0; i < train.Count; i++)
        {
            string label = train[i].Output;
            if (!indicesByLabel.TryGetValue(label, out List<int>? indices))
            {
                indices = [];
                indicesByLabel.Add(label, indices);
                labelsInOrder.Add(label);
            }
            indices.Add(i);
        }

        int memorySize = Math.Max(byRatio, labelsInOrder.Count);
        int perClass = Math.Max(1, memorySize / labelsInOrder.Count);
        var chosen = new List<int>();
        var isChosen = new bool[train.Count];
        foreach (string label in labelsInOrder)
        {
            List<int> indices = indicesByLabel[label];
            foreach (int pick in rng.SampleIndices(indices.Count, Math.Min(perClass, indices.Count)))
            {
                chosen.Add(indices[pick]);
                isChosen[indices[pick]] = true;
            }
        }

        if (chosen.Count < memorySize)
        {
            int[] rest = Enumerable.Range(0, train.Count).Where(i => !isChosen[i]).ToArray();
            foreach (int pick in rng.SampleIndices(rest.Length, Math.Min(memorySize - chosen.Count, rest.Length)))
                chosen.Add(rest[pick]);
        }
        return new MemoryDraw(chosen.Select(i => train[i]).ToArray(), byRatio, labelsInOrder.Count);
    }
}

/// <summary>One task's replay memory and how its size came about.</summary>
/// <param name="Examples">The drawn examples.</param>
/// <param name="SizeByRatio">floor(ratio × |train|), the reference's size.</param>
/// <param name="Labels">Distinct labels of the task's training set (0 when nothing was drawn).</param>
public sealed record MemoryDraw(IReadOnlyList<TaskExample> Examples, int SizeByRatio, int Labels)
{
    /// <summary>True when the ratio alone gave fewer examples than labels and one per label was kept instead.</summary>
    public bool FloorRaised => SizeByRatio < Labels;
}

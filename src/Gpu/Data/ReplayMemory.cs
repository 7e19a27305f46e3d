namespace RecurrentKif.Gpu.Data;

/// <summary>
/// The replay memory of one earlier task, sampled as the official <c>load_memory_buffer</c> does
/// (docs/algorithm.md §5.5): a class-balanced draw, then a random top-up to the target size.
/// </summary>
public static class ReplayMemory
{
    /// <summary>
    /// n_mem = floor(ratio × |train|); per_class = max(1, n_mem / #labels) (integer division).
    /// For each label in order of first appearance, per_class distinct examples of that label drawn
    /// uniformly (all of them if it has fewer); then, while the total is below n_mem, distinct random
    /// examples from the rest. Result order: labels in that order, each in draw order, then the top-up.
    /// As in the reference, per_class × #labels may exceed n_mem when there are many labels.
    /// A ratio that gives n_mem = 0 yields an empty memory (the reference never reaches that case).
    /// Pass the run's one memory generator through the tasks in order, so each task's buffer is the same
    /// for every later task.
    /// </summary>
    public static IReadOnlyList<TaskExample> BuildClassBalanced(IReadOnlyList<TaskExample> train, double ratio, SeededRandom rng)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(rng);
        if (!(ratio >= 0 && ratio <= 1)) throw new ArgumentOutOfRangeException(nameof(ratio), ratio, "The memory ratio must lie in [0, 1].");

        // The epsilon keeps 0.02 × 1000 (19.999… or 20.000…1 in binary) at 20, as Python's int() gives.
        int memorySize = (int)Math.Floor(ratio * train.Count + 1e-9);
        if (memorySize == 0) return [];

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
        return chosen.Select(i => train[i]).ToArray();
    }
}

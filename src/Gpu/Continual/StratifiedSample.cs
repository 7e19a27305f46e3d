using RecurrentKif.Gpu.Data;

namespace RecurrentKif.Gpu.Continual;

/// <summary>
/// Draws a label-balanced subset of examples, grouped by their gold <see cref="TaskExample.Output"/>. Each label
/// gets an equal share; a label with too few examples gives its unused share to the others. So any subset at
/// least as large as the number of labels contains every label, which keeps tiny CI subsets meaningful.
/// </summary>
internal static class StratifiedSample
{
    /// <summary>
    /// Indices into <paramref name="items"/> of <paramref name="count"/> examples (all of them when
    /// <paramref name="count"/> ≥ the number of items), ascending, so the subset keeps the file's order.
    /// </summary>
    public static int[] Indices(IReadOnlyList<TaskExample> items, int count, SeededRandom rng)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count >= items.Count) return Enumerable.Range(0, items.Count).ToArray();

        // Labels in order of first appearance, so the grouping does not depend on string sorting.
        var byLabel = new List<List<int>>();
        var slotOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < items.Count; i++)
        {
            string label = items[i].Output;
            if (!slotOf.TryGetValue(label, out int slot))
            {
                slot = byLabel.Count;
                slotOf[label] = slot;
                byLabel.Add([]);
            }
            byLabel[slot].Add(i);
        }

        int[] quota = Quotas(byLabel.Select(g => g.Count).ToArray(), count, rng);
        var chosen = new List<int>(count);
        for (int slot = 0; slot < byLabel.Count; slot++)
            chosen.AddRange(rng.SampleIndices(byLabel[slot].Count, quota[slot]).Select(k => byLabel[slot][k]));
        chosen.Sort();
        return chosen.ToArray();
    }

    /// <summary>
    /// Deals <paramref name="count"/> places one at a time around the labels, skipping full ones. The dealing
    /// order is shuffled so that, when the count is not a multiple of the label count, which labels get the extra
    /// place (or any place at all) is a fair draw rather than always the first labels.
    /// </summary>
    private static int[] Quotas(int[] available, int count, SeededRandom rng)
    {
        int[] order = Enumerable.Range(0, available.Length).ToArray();
        rng.Shuffle(order);
        var quota = new int[available.Length];
        int left = count;
        while (left > 0)
        {
            foreach (int slot in order)
            {
                if (left == 0) break;
                if (quota[slot] == available[slot]) continue;
                quota[slot]++;
                left--;
            }
        }
        return quota;
    }
}

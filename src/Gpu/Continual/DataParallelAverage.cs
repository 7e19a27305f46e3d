using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Continual;

/// <summary>
/// The one extra step of the data-parallel variant ("Recurrent-KIF-DP"): at each cycle end the learners' weights and
/// importance scores are averaged element-wise before identification and fusion, which then run once, as in docs/algorithm.md §3.3–3.4 (§3.9).
/// Sums go in rank order, so the result does not depend on which learner answered first; with one learner the mean is
/// an exact copy, so a one-learner cluster reproduces the single-process run bit for bit.
/// </summary>
public static class DataParallelAverage
{
    /// <param name="perRank">For each rank, the same list of tensors (same shapes).</param>
    public static IReadOnlyList<Tensor> Mean(IReadOnlyList<IReadOnlyList<Tensor>> perRank)
    {
        if (perRank.Count == 0) throw new ArgumentException("no rank to average", nameof(perRank));
        int count = perRank[0].Count;
        if (perRank.Any(r => r.Count != count)) throw new ArgumentException("ranks hold different numbers of tensors", nameof(perRank));
        using var _ = no_grad();
        var mean = new List<Tensor>(count);
        for (int i = 0; i < count; i++)
        {
            var sum = perRank[0][i].clone();
            for (int r = 1; r < perRank.Count; r++) sum.add_(perRank[r][i]);
            if (perRank.Count > 1) sum.div_(perRank.Count);
            mean.Add(sum);
        }
        return mean;
    }
}

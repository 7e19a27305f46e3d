namespace RecurrentKif.Gpu.Continual;

/// <summary>
/// The continual-learning summary numbers of one run (docs/algorithm.md §5.4), as fractions in [0, 1] like the
/// <see cref="AccuracyMatrix"/> they come from. a[j, i] is 0-based here: row j = after task j, column i = task i.
/// <para>
/// A metric is <c>null</c> when it is undefined (e.g. BWT with one task) or when any cell it needs is NaN
/// (not measured). A partial mean over the measured cells would look like the real number but is not, so it is
/// never reported.
/// </para>
/// </summary>
/// <param name="TaskCount">K, the number of tasks in the sequence.</param>
/// <param name="OverallPerformance">OP = mean_i a[K−1, i].</param>
/// <param name="BackwardTransfer">BWT = mean over i &lt; K−1 of (a[K−1, i] − a[i, i]); null when K = 1.</param>
/// <param name="FwtZeroShot">
/// Forward transfer as TaSL defines it: mean over i ≥ 1 of a[i−1, i], the accuracy on a task before training on it.
/// Null when K = 1.
/// </param>
/// <param name="FwtVersusSingleTask">
/// Forward transfer as AIMMerging defines it: mean_i (a[i, i] − ã_i), ã_i being a LoRA trained on task i alone.
/// Null unless those single-task accuracies are given.
/// </param>
/// <param name="FinalAccuracies">Per task i: a[K−1, i] (null where not measured).</param>
/// <param name="Forgetting">
/// Per task i: max over i ≤ j &lt; K−1 of a[j, i], minus a[K−1, i]. Only rows after task i was learned count:
/// the cells before it (j &lt; i) are zero-shot accuracy, and losing zero-shot skill is not forgetting what was
/// learned. Null for the last task (nothing came after it) and where a needed cell is NaN.
/// </param>
public sealed record ContinualMetrics(
    int TaskCount,
    double? OverallPerformance,
    double? BackwardTransfer,
    double? FwtZeroShot,
    double? FwtVersusSingleTask,
    IReadOnlyList<double?> FinalAccuracies,
    IReadOnlyList<double?> Forgetting)
{
    public static ContinualMetrics From(AccuracyMatrix m, IReadOnlyList<double>? singleTaskAccuracies = null)
    {
        ArgumentNullException.ThrowIfNull(m);
        int k = m.Count;
        if (k == 0) throw new ArgumentException("The accuracy matrix has no tasks.", nameof(m));
        if (singleTaskAccuracies is not null && singleTaskAccuracies.Count != k)
            throw new ArgumentException(
                $"{singleTaskAccuracies.Count} single-task accuracies were given for {k} tasks.", nameof(singleTaskAccuracies));

        int last = k - 1;
        double? op = MeanOrNull(Enumerable.Range(0, k).Select(i => m[last, i]));
        double? bwt = MeanOrNull(Enumerable.Range(0, last).Select(i => m[last, i] - m[i, i]));
        double? fwtZeroShot = MeanOrNull(Enumerable.Range(1, last).Select(i => m[i - 1, i]));
        double? fwtVersusSingle = singleTaskAccuracies is null
            ? null
            : MeanOrNull(Enumerable.Range(0, k).Select(i => m[i, i] - singleTaskAccuracies[i]));

        var finals = Enumerable.Range(0, k).Select(i => ValueOrNull(m[last, i])).ToArray();
        var forgetting = Enumerable.Range(0, k).Select(i => ForgettingOf(m, i)).ToArray();
        return new ContinualMetrics(k, op, bwt, fwtZeroShot, fwtVersusSingle, finals, forgetting);
    }

    private static double? ForgettingOf(AccuracyMatrix m, int task)
    {
        int last = m.Count - 1;
        if (task == last) return null;
        double best = double.NegativeInfinity;
        for (int j = task; j < last; j++)
        {
            // Max propagates NaN, so one unmeasured cell makes the whole value unknown, as documented.
            best = Math.Max(best, m[j, task]);
        }
        return ValueOrNull(best - m[last, task]);
    }

    /// <summary>Mean of the values; null when there are none (undefined) or any is NaN (not measured).</summary>
    private static double? MeanOrNull(IEnumerable<double> values)
    {
        double sum = 0;
        int count = 0;
        foreach (double value in values)
        {
            if (double.IsNaN(value)) return null;
            sum += value;
            count++;
        }
        return count == 0 ? null : sum / count;
    }

    private static double? ValueOrNull(double value) => double.IsNaN(value) ? null : value;
}

using RecurrentKif.Gpu.Data;

namespace RecurrentKif.Gpu.Continual;

/// <summary>
/// The outcome of one method on one task sequence: the full accuracy matrix, the metrics read off it, the
/// wall-clock time, which tasks were evaluated on dev (no test split), and free-form numbers such as fusion counts.
/// </summary>
/// <param name="Method">The method's name as it should appear in tables ("recurrent-kif", "seq-lora", ...).</param>
/// <param name="TaskNames">The sequence, in training order; the matrix's rows and columns follow it.</param>
/// <param name="Accuracies">a[j, i] as fractions; NaN where not measured.</param>
/// <param name="Metrics">Normally <see cref="ContinualMetrics.From"/> of <paramref name="Accuracies"/>.</param>
/// <param name="WallClockSeconds">Time for the whole sequence, training and evaluation.</param>
/// <param name="EvaluatedOnDev">Per task, in sequence order: true where it was evaluated on its dev split.</param>
/// <param name="Extras">Method-specific numbers by name; NaN is allowed (written as null).</param>
public sealed record ContinualReport(
    string Method,
    IReadOnlyList<string> TaskNames,
    AccuracyMatrix Accuracies,
    ContinualMetrics Metrics,
    double WallClockSeconds,
    IReadOnlyList<bool> EvaluatedOnDev,
    IReadOnlyDictionary<string, double> Extras)
{
    /// <summary>
    /// Per task, in sequence order: the accuracy of guessing, 1 / the number of distinct gold labels of its evaluation
    /// split (NaN for an empty split), so a reader can tell learning from luck. Empty when unknown (older report files).
    /// </summary>
    public IReadOnlyList<double> ChanceLevels { get; init; } = [];

    /// <summary>
    /// Per trained task, in sequence order, how its training went step by step: loss, first-answer-token loss, and
    /// each validation. Empty when not known (a report built from the matrix alone, or an older file).
    /// </summary>
    public IReadOnlyList<TaskTrainingCurves> Training { get; init; } = [];

    /// <summary>1 / distinct gold outputs of the examples; NaN when there are none.</summary>
    public static double ChanceLevel(IReadOnlyList<TaskExample> evaluation) =>
        evaluation.Count == 0 ? double.NaN : 1.0 / evaluation.Select(e => e.Output).Distinct(StringComparer.Ordinal).Count();

    /// <summary>Builds a report for a loaded sequence, computing the metrics from the matrix.</summary>
    public static ContinualReport Create(
        string method,
        IReadOnlyList<ContinualTask> tasks,
        AccuracyMatrix accuracies,
        double wallClockSeconds,
        IReadOnlyDictionary<string, double>? extras = null,
        IReadOnlyList<double>? singleTaskAccuracies = null)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(accuracies);
        if (!tasks.Select(t => t.Name).SequenceEqual(accuracies.TaskNames, StringComparer.Ordinal))
            throw new ArgumentException("The accuracy matrix's tasks are not the loaded sequence.", nameof(accuracies));
        return new ContinualReport(
            method,
            [.. accuracies.TaskNames],
            accuracies,
            ContinualMetrics.From(accuracies, singleTaskAccuracies),
            wallClockSeconds,
            [.. tasks.Select(t => t.EvaluatedOnDev)],
            extras ?? new Dictionary<string, double>())
        {
            ChanceLevels = [.. tasks.Select(t => ChanceLevel(t.Evaluation))],
        };
    }

    /// <summary>The report of a library run (<see cref="ContinualTrainer"/>), with its step, fusion and training-time totals as extras.</summary>
    public static ContinualReport FromRun(ContinualRunResult run, IReadOnlyList<ContinualTask> tasks)
    {
        var extras = new Dictionary<string, double>
        {
            ["innerSteps"] = run.Tasks.Sum(t => t.InnerSteps),
            ["outerSteps"] = run.Tasks.Sum(t => t.OuterSteps),
            ["fusions"] = run.Tasks.Sum(t => t.Fusions),
            ["trainingSeconds"] = run.Tasks.Sum(t => t.Seconds),
        };
        return Create(run.Method.ToString(), tasks, run.Accuracy, run.Seconds, extras) with { Training = TaskTrainingCurves.Of(run.Tasks) };
    }
}

using RecurrentKif.Gpu.Continual;

namespace RecurrentKif.Gpu.Experiments;

/// <summary>
/// Everything an experiment measured: the sequence, each task's chance level, the variants in order, the seeds and
/// every run so far. Immutable; a finished run gives a new result with it added.
/// </summary>
public sealed record ExperimentResult(
    IReadOnlyList<string> TaskNames,
    IReadOnlyList<double> ChanceLevels,
    IReadOnlyList<string> Variants,
    IReadOnlyList<long> Seeds,
    IReadOnlyList<ExperimentRun> Runs)
{
    /// <summary>
    /// Per task, in sequence order: true where it is evaluated on its dev split (no test split). Known from the loaded
    /// tasks, so tables can mark it before any run ends; empty for a result built without them.
    /// </summary>
    public IReadOnlyList<bool> EvaluatedOnDev { get; init; } = [];

    public static ExperimentResult Start(IReadOnlyList<ContinualTask> tasks, IReadOnlyList<ExperimentVariant> variants, IReadOnlyList<long> seeds) =>
        new([.. tasks.Select(t => t.Name)], [.. tasks.Select(ChanceLevel)], [.. variants.Select(v => v.Name)], seeds, [])
        {
            EvaluatedOnDev = [.. tasks.Select(t => t.EvaluatedOnDev)],
        };

    /// <summary>Whether task <paramref name="task"/> is evaluated on dev, by the loaded tasks or by any run's report.</summary>
    public bool IsEvaluatedOnDev(int task) =>
        (task < EvaluatedOnDev.Count && EvaluatedOnDev[task])
        || Runs.Any(r => task < r.Report.EvaluatedOnDev.Count && r.Report.EvaluatedOnDev[task]);

    public ExperimentResult With(ExperimentRun run) => this with { Runs = [.. Runs, run] };

    /// <summary>One summary per variant that has at least one run, in variant order.</summary>
    public IReadOnlyList<VariantSummary> Summaries =>
        Variants.Where(v => Runs.Any(r => r.Variant == v)).Select(v => VariantSummary.Of(v, Runs)).ToList();

    /// <summary>
    /// The accuracy of guessing uniformly among the labels the task is evaluated on: 1 / (distinct expected outputs
    /// of its evaluation split). An accuracy near it means the model learned nothing about the task.
    /// </summary>
    public static double ChanceLevel(ContinualTask task)
    {
        int labels = task.Evaluation.Select(e => e.Output.Trim()).Distinct(StringComparer.Ordinal).Count();
        return labels == 0 ? double.NaN : 1.0 / labels;
    }
}

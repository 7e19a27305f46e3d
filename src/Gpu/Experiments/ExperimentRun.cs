using RecurrentKif.Gpu.Continual;

namespace RecurrentKif.Gpu.Experiments;

/// <summary>One variant trained and evaluated with one seed; the report's method is the variant's name.</summary>
public sealed record ExperimentRun(string Variant, long Seed, ContinualReport Report)
{
    /// <summary>Inner plus outer optimizer steps over the whole sequence (what compute matching is about); null if not recorded.</summary>
    public double? OptimizerSteps =>
        Report.Extras.TryGetValue("innerSteps", out double inner) && Report.Extras.TryGetValue("outerSteps", out double outer) ? inner + outer : null;

    /// <summary>Mean of a[i, i], accuracy on each task right after learning it; null when a cell is unmeasured (MultiTask).</summary>
    public double? JustLearnedMean
    {
        get
        {
            var diagonal = Enumerable.Range(0, Report.TaskNames.Count).Select(i => Report.Accuracies[i, i]).ToList();
            return diagonal.Count == 0 || diagonal.Any(double.IsNaN) ? null : diagonal.Average();
        }
    }

    /// <summary>a[i, i] of the task named <paramref name="task"/>: its accuracy right after learning it (NaN if unmeasured or not in the sequence).</summary>
    public double JustLearned(string task) => Cell(task, final: false);

    /// <summary>a[K−1, i] of the task named <paramref name="task"/>: its accuracy at the end of the sequence.</summary>
    public double Final(string task) => Cell(task, final: true);

    private double Cell(string task, bool final)
    {
        var names = Report.TaskNames;
        for (int i = 0; i < names.Count; i++)
            if (names[i] == task) return Report.Accuracies[final ? names.Count - 1 : i, i];
        return double.NaN;
    }
}

/// <summary>A variant's numbers over the seeds it ran with.</summary>
public sealed record VariantSummary(
    string Variant,
    int Seeds,
    SeedSpread OverallPerformance,
    SeedSpread BackwardTransfer,
    SeedSpread FwtZeroShot,
    SeedSpread JustLearned,
    SeedSpread WallClockSeconds,
    SeedSpread OptimizerSteps)
{
    public static VariantSummary Of(string variant, IReadOnlyList<ExperimentRun> runs)
    {
        var mine = runs.Where(r => r.Variant == variant).ToList();
        return new VariantSummary(
            variant,
            mine.Count,
            SeedSpread.Of(mine.Select(r => r.Report.Metrics.OverallPerformance)),
            SeedSpread.Of(mine.Select(r => r.Report.Metrics.BackwardTransfer)),
            SeedSpread.Of(mine.Select(r => r.Report.Metrics.FwtZeroShot)),
            SeedSpread.Of(mine.Select(r => r.JustLearnedMean)),
            SeedSpread.Of(mine.Select(r => r.Report.WallClockSeconds)),
            SeedSpread.Of(mine.Select(r => r.OptimizerSteps)));
    }
}

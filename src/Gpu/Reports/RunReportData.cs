using RecurrentKif.Gpu.Continual;

namespace RecurrentKif.Gpu.Reports;

/// <summary>Everything the human-readable run report shows.</summary>
/// <param name="Report">The accuracy matrix, its metrics and the wall time of the run.</param>
/// <param name="Tasks">
/// How training each task went, in sequence order. Shorter than <see cref="ContinualReport.TaskNames"/> while the
/// run is still in progress: the tasks not trained yet are shown as pending.
/// </param>
/// <param name="Title">The page's heading.</param>
/// <param name="Settings">The run's settings by name, shown as a table in their enumeration order.</param>
/// <param name="GeneratedUtc">When the report was made, shown in its header.</param>
public sealed record RunReportData(
    ContinualReport Report,
    IReadOnlyList<TaskTrainingStats> Tasks,
    string Title,
    IReadOnlyDictionary<string, string> Settings,
    DateTime GeneratedUtc);

using RecurrentKif.Actors.Settings;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Data;

namespace RecurrentKif.Actors.Coordination;

/// <summary>
/// Loads a submitted task's files (docs/architecture.md §10, the task gateway): the one place both a new submission and the
/// recovery of its TaskQueued event read them, so how they are stored and checked can change here alone.
/// </summary>
public static class SubmittedTaskLoader
{
    /// <exception cref="IOException">The files cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The files may not be read.</exception>
    /// <exception cref="TaskDataException">The files are not a valid task.</exception>
    public static ContinualTask Load(RunConfiguration run, string name, string folder) =>
        BenchmarkTaskLoader.LoadOne(folder, name, run.Sizes, run.Continual.FineTune.Seed);

    /// <summary>The exceptions <see cref="Load"/> throws for files that are missing, unreadable or invalid.</summary>
    public static bool IsBadTaskData(Exception e) => e is IOException or UnauthorizedAccessException or TaskDataException;
}

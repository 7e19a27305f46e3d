using RecurrentKif.Actors.Pipeline;
using RecurrentKif.Actors.Settings;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Data;
using RecurrentKif.Messages;

namespace RecurrentKif.Actors.Coordination;

/// <summary>A submitted task as the run trains it: its examples and where every node reads them from.</summary>
public sealed record LoadedSubmission(ContinualTask Task, TaskSource Source);

/// <summary>
/// The one place a submitted task's files are read (docs/architecture.md §10, the task gateway): on acceptance they are
/// copied into the run's own content-addressed store and hashed (<see cref="SubmittedTaskStore"/>); the journal's
/// <see cref="TaskQueued"/> records the hash, and recovery reads the copy and checks it, so neither a swapped link,
/// a FIFO nor a file edited after the answer can change what the run trains on.
/// </summary>
public static class SubmittedTaskLoader
{
    /// <summary>Reads the submitted files once, copies them into the run's store and loads the task from those bytes.</summary>
    /// <exception cref="IOException">The files cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The files may not be read.</exception>
    /// <exception cref="TaskDataException">The files are not a valid task (or not plain files).</exception>
    public static AcceptedTask Accept(RunConfiguration run, string name, string folder) => Store(run).Accept(name, folder);

    /// <summary>An accepted task as the run holds it once its <see cref="TaskQueued"/> is journaled.</summary>
    public static LoadedSubmission Recovered(AcceptedTask accepted) =>
        new(accepted.Task, new TaskSource(accepted.Stored.Name, accepted.Stored.Folder, accepted.Stored.Sha256));

    /// <summary>
    /// The task a journaled <see cref="TaskQueued"/> names: its stored copy, checked against the recorded hash; a
    /// journal from before copies were taken (no hash) has only the source folder.
    /// </summary>
    public static LoadedSubmission Recover(RunConfiguration run, TaskQueued queued)
    {
        var source = queued.Sha256 is { } sha256
            ? new TaskSource(queued.TaskName, Store(run).Stored(queued.TaskName, sha256).Folder, sha256)
            : new TaskSource(queued.TaskName, queued.Source);
        return new(Load(run, source), source);
    }

    /// <summary>
    /// The task a <see cref="TaskSource"/> names, on any node: with a hash, the run's stored copy, checked against it
    /// (so every rank of a learner group trains on the same bytes); without one, the files of its folder.
    /// </summary>
    public static ContinualTask Load(RunConfiguration run, TaskSource source) =>
        source.Sha256 is { } sha256
            ? SubmittedTaskStore.Load(new StoredTask(source.Name, sha256, source.Folder), run.Sizes, run.Continual.FineTune.Seed)
            : BenchmarkTaskLoader.LoadOne(source.Folder, source.Name, run.Sizes, run.Continual.FineTune.Seed);

    /// <summary>The exceptions the loads throw for files that are missing, unreadable or invalid.</summary>
    public static bool IsBadTaskData(Exception e) => e is IOException or UnauthorizedAccessException or TaskDataException;

    private static SubmittedTaskStore Store(RunConfiguration run) => new(run.RunFolder, run.Sizes, run.Continual.FineTune.Seed);
}

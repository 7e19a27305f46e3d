using Akka.Actor;
using RecurrentKif.Actors.Pipeline;
using RecurrentKif.Actors.Settings;
using RecurrentKif.Gpu.Checkpoints;
using RecurrentKif.Gpu.Training;
using RecurrentKif.Messages;

namespace RecurrentKif.Actors;

/// <summary>
/// Runs (or resumes) one run on this process: builds the actor system, the model replica and the tasks, starts the
/// RunCoordinator and waits for it. The same call after a crash continues from the journal.
/// </summary>
public static class RunHost
{
    /// <param name="completed">Called when the coordinator reports the end, before the actor system shuts down (benchmarks time it).</param>
    public static async Task<RunCompleted> RunAsync(RunConfiguration run, Action<TrainingProgress>? progress = null, CancellationToken cancellation = default, Action? completed = null)
    {
        // Before anything is read or written: a second run on this data root would resume the same journal.
        using var writer = DataRootLock.Acquire(run.DataRoot);
        Directory.CreateDirectory(run.CheckpointFolder);
        AtomicFile.CleanStaleTemporaries(run.CheckpointFolder); // a kill during a write leaves only a temporary behind
        var system = ActorSystemFactory.Create(run);
        try
        {
            using var compute = new ComputeContext(() => new ModelHost(run, progress));
            var tasks = TaskCatalog.Load(run);
            var completion = new TaskCompletionSource<RunCompleted>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (progress is not null)
            {
                var listener = system.ActorOf(Props.Create(() => new ProgressListener(progress)));
                system.EventStream.Subscribe(listener, typeof(TrainingProgress));
            }
            system.ActorOf(RunCoordinator.Supervised(run, compute, tasks, completion), "run-coordinator");
            await using var registration = cancellation.Register(() => completion.TrySetCanceled());
            var result = await completion.Task;
            completed?.Invoke();
            return result;
        }
        finally
        {
            await system.Terminate();
        }
    }

    public static async Task<RunState> ReadStateAsync(RunConfiguration run)
    {
        var system = ActorSystemFactory.Create(run, "rkif-reader");
        try
        {
            var result = new TaskCompletionSource<RunState>(TaskCreationOptions.RunContinuationsAsynchronously);
            system.ActorOf(Props.Create(() => new RunStateReader(run.RunId, result)));
            return await result.Task.WaitAsync(TimeSpan.FromMinutes(1));
        }
        finally { await system.Terminate(); }
    }

    private sealed class ProgressListener : ReceiveActor
    {
        public ProgressListener(Action<TrainingProgress> progress) => Receive<TrainingProgress>(progress);
    }
}

using Akka.Actor;
using Akka.Persistence;
using RecurrentKif.Messages;

namespace RecurrentKif.Actors;

/// <summary>
/// Reads a run's journal without running anything (for `rkif status`, `report`, `export`): recovers the same
/// persistence id as the RunCoordinator, hands the state over and stops. It never writes.
/// </summary>
public sealed class RunStateReader : ReceivePersistentActor
{
    public override string PersistenceId { get; }

    public RunStateReader(string runId, TaskCompletionSource<RunState> result)
    {
        PersistenceId = $"rkif-run-{runId}";
        var state = new RunState();
        Recover<IRunEvent>(state.Apply);
        Recover<RecoveryCompleted>(_ =>
        {
            result.TrySetResult(state);
            Context.Stop(Self);
        });
    }
}

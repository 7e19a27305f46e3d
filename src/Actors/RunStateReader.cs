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
    private readonly TaskCompletionSource<RunState> _result;

    public override string PersistenceId { get; }

    public RunStateReader(string runId, TaskCompletionSource<RunState> result)
    {
        PersistenceId = $"rkif-run-{runId}";
        _result = result;
        var state = new RunState();
        Recover<IRunEvent>(state.Apply);
        Recover<RecoveryCompleted>(_ =>
        {
            result.TrySetResult(state);
            Context.Stop(Self);
        });
    }

    // A journal that cannot be read is an error at once, naming the cause, rather than a wait for the caller's timeout.
    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        _result.TrySetException(new InvalidOperationException(
            $"the journal of run {PersistenceId} cannot be read{(message is null ? "" : $" at {message.GetType().Name}")}: {reason.GetBaseException().Message}", reason));
        base.OnRecoveryFailure(reason, message);
    }
}

using Akka.Actor;
using RecurrentKif.Messages;
using Serilog;

namespace RecurrentKif.Actors.Coordination;

/// <summary>
/// Keeps the RunCoordinator alive through journal trouble and makes the run end loudly when it cannot be
/// (docs/architecture.md §2.2 and §5). A failed or rejected journal write and a failed recovery stop the coordinator; this
/// supervisor starts a fresh one after a growing delay, which recovers everything already journaled and goes on. After
/// <see cref="MaxRestarts"/> such restarts it gives up: one error line naming the journal and the cause, the run
/// completes with <c>Succeeded = false</c> (<c>rkif run</c> exits non-zero), and in a cluster every status request and
/// submission is answered "failed: …" instead of timing out.
/// Everything else is passed to the coordinator unchanged, sender included.
/// </summary>
public sealed class RunSupervisor : ReceiveActor, IWithTimers
{
    public const int MaxRestarts = 3;
    public const string CoordinatorName = "run";

    private readonly Props _coordinator;
    private readonly string _runId;
    private readonly string _journal;
    private readonly TaskCompletionSource<RunCompleted>? _completion;
    private readonly TimeSpan _firstDelay;
    private IActorRef _child = ActorRefs.Nobody;
    private int _restarts;
    private string? _lastCause;

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="coordinator">The RunCoordinator's props; it reports <see cref="JournalFailed"/> and <see cref="RunEnded"/> to this actor.</param>
    /// <param name="journal">The journal in words, for the error line (e.g. "the SQLite journal /data/journal.db").</param>
    /// <param name="firstDelay">The delay before the first restart; each further one waits twice as long.</param>
    public RunSupervisor(Props coordinator, string runId, string journal, TaskCompletionSource<RunCompleted>? completion, TimeSpan firstDelay)
    {
        _coordinator = coordinator;
        _runId = runId;
        _journal = journal;
        _completion = completion;
        _firstDelay = firstDelay;
        Running();
    }

    protected override void PreStart() => StartCoordinator();

    // The coordinator ends itself on journal failures (Akka.Persistence stops it); any other exception stops it too,
    // and both go through the same bounded restart.
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(e =>
    {
        _lastCause ??= e.Message;
        Log.Error(e, "The run coordinator failed: {Message}", e.Message);
        return Directive.Stop;
    });

    private void StartCoordinator()
    {
        _lastCause = null;
        _child = Context.Watch(Context.ActorOf(_coordinator, CoordinatorName));
    }

    private void Running()
    {
        Receive<JournalFailed>(m => _lastCause = m.Cause);
        Receive<RunEnded>(m => _completion?.TrySetResult(m.Result));
        Receive<Terminated>(m => m.ActorRef.Equals(_child), _ => OnCoordinatorStopped());
        ReceiveAny(m => _child.Forward(m));
    }

    private void OnCoordinatorStopped()
    {
        string cause = _lastCause ?? "it stopped unexpectedly";
        if (_restarts >= MaxRestarts)
        {
            GiveUp($"{_journal} failed {_restarts + 1} times, giving up; last: {cause}. Everything journaled before it is kept: fix the journal and run the same command to resume");
            return;
        }
        var delay = _firstDelay * Math.Pow(2, _restarts++);
        Log.Warning("The run coordinator stopped ({Cause}); starting it again in {Delay:F1} s (restart {Restart} of {Max}) from {Journal}",
            cause, delay.TotalSeconds, _restarts, MaxRestarts, _journal);
        Become(() => Waiting($"restarting after a journal failure: {cause}"));
        Timers.StartSingleTimer(nameof(StartAgain), new StartAgain(), delay);
    }

    private void Waiting(string phase)
    {
        Receive<StartAgain>(_ =>
        {
            StartCoordinator();
            Become(Running);
        });
        Answering(phase, SubmissionRefusal.Unavailable);
    }

    private void GiveUp(string error)
    {
        Log.Error("Run {Run} failed: {Error}", _runId, error);
        _completion?.TrySetResult(new RunCompleted(_runId, false, error));
        Become(() => Answering($"failed: {error}", SubmissionRefusal.Invalid));
    }

    /// <summary>While there is no coordinator, status and submissions are answered here with where the run stands.</summary>
    private void Answering(string phase, SubmissionRefusal refusal)
    {
        Receive<GetRunStatus>(_ => Sender.Tell(new RunStatus(_runId, [], 0, phase, 0, 0, null, [], false,
            ((ExtendedActorSystem)Context.System).Provider.DefaultAddress.ToString(), [])));
        Receive<QueueTask>(m => Sender.Tell(TaskSubmissionResult.Refused(m.Name, refusal, $"run '{_runId}' {phase}")));
    }

    private sealed record StartAgain;

    public static Props Props(Props coordinator, string runId, string journal, TaskCompletionSource<RunCompleted>? completion, TimeSpan? firstDelay = null) =>
        Akka.Actor.Props.Create(() => new RunSupervisor(coordinator, runId, journal, completion, firstDelay ?? TimeSpan.FromSeconds(1)));
}

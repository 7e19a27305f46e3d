using Akka.Actor;
using Akka.Persistence;
using RecurrentKif.Actors.Cluster;
using RecurrentKif.Actors.Coordination;
using RecurrentKif.Actors.Pipeline;
using RecurrentKif.Actors.Settings;
using RecurrentKif.Actors.Stages;
using RecurrentKif.Actors.Telemetry;
using RecurrentKif.Gpu.Checkpoints;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Messages;

namespace RecurrentKif.Actors;

/// <summary>
/// Owns the run (docs/architecture.md §2 and §5): an event-sourced actor whose journal says which tasks are trained and evaluated and
/// which step of the current task was last committed, with checkpoint references (path + SHA-256), never tensors.
/// On start it recovers the journal and continues from there, so killing the process at any instant and running the
/// same command again resumes from the last commit; no task is trained or evaluated twice once journaled.
/// It is a state machine: recovering → starting → preparing → training → evaluating → … → finished (or waiting for
/// tasks in a cluster), and failed from anywhere; each state takes only its own messages, and status is answered in
/// every state with the state's name as the phase. It supervises the stages (every restart is reported and resumes
/// from the last commit, bounded), rolls a NaN loss back to the last commit instead of merging it, and reports journal
/// failures to its <see cref="RunSupervisor"/>, which restarts it or ends the run loudly.
/// </summary>
public sealed class RunCoordinator : ReceivePersistentActor
{
    public const int MaxRetriesPerTask = 2;
    private const string WaitingForTasks = "waiting for tasks", FinishedPhase = "finished";
    private readonly RunConfiguration _run;
    private readonly ComputeContext _compute;
    private readonly List<ContinualTask> _tasks;
    private readonly List<TaskSource> _sources;
    private readonly int _configuredTasks;
    private readonly System.Diagnostics.Stopwatch _trainingClock = new();
    private readonly ClusterMode? _cluster;
    private readonly Func<IActorContext, CoordinatorStages>? _stages;
    private readonly RunState _state = new();
    private readonly Dictionary<int, int> _retries = [];
    private IReadOnlyList<string> _learnerNames = [];
    private string? _recoveryError;
    private IActorRef _dataLoader = ActorRefs.Nobody, _learner = ActorRefs.Nobody, _evaluator = ActorRefs.Nobody, _submissions = ActorRefs.Nobody;
    private IActorRef _attempt = ActorRefs.Nobody;
    private string _phase = "recovering";
    private string? _failure;
    private int _step, _totalSteps;

    public override string PersistenceId { get; }

    /// <param name="tasks">The configured tasks (the start of the sequence; in a cluster, submissions append to it).</param>
    /// <param name="cluster">Null for a single-process run; otherwise the run is trained by the cluster's learner group,
    /// takes submitted tasks, and waits for more when all are done instead of finishing.</param>
    /// <param name="stages">Null: the real stages, created as children. Tests give probes.</param>
    public RunCoordinator(RunConfiguration run, ComputeContext compute, CatalogedTasks tasks, ClusterMode? cluster = null, Func<IActorContext, CoordinatorStages>? stages = null)
    {
        _stages = stages;
        _run = run;
        _compute = compute;
        _tasks = tasks.Tasks.ToList();
        _configuredTasks = _tasks.Count;
        _sources = tasks.Tasks.Select(t => new TaskSource(t.Name, tasks.Folder)).ToList();
        _cluster = cluster;
        PersistenceId = $"rkif-run-{run.RunId}";

        Recover<TaskQueued>(e =>
        {
            _state.Apply(e);
            try { AppendTask(SubmittedTaskLoader.Recover(_run, e)); }
            catch (Exception x) when (SubmittedTaskLoader.IsBadTaskData(x))
            {
                _recoveryError ??= $"the submitted task '{e.TaskName}' cannot be read from {(e.Sha256 is null ? e.Source : "its stored copy")} any more: {x.Message}";
            }
        });
        Recover<IRunEvent>(_state.Apply);
        Recover<RecoveryCompleted>(_ => Self.Tell(new AdvanceRun()));
        Enter("recovering", () => Command<AdvanceRun>(_ => Advance()));
    }

    private sealed record AdvanceRun;

    protected override void PreStart()
    {
        var stages = _stages?.Invoke(Context) ?? CreateStages();
        (_dataLoader, _learner, _evaluator) = (Context.Watch(stages.DataLoader), Context.Watch(stages.Learner), Context.Watch(stages.Evaluator));
        _submissions = Context.ActorOf(SubmissionsActor.Props(_run, takesSubmissions: _cluster is not null), "submissions");
        base.PreStart();
    }

    private CoordinatorStages CreateStages()
    {
        string compute = ActorSystemFactory.ComputeDispatcher;
        // A cycle flows learner → aggregator → pruner → merger, and the merger answers the learner named in the cycle.
        var merger = Stage(MergerActor.Props().WithDispatcher(compute), "merger");
        var pruner = Stage(PrunerActor.Props(_run.Continual.Kif, merger).WithDispatcher(compute), "pruner");
        var aggregator = Stage(ImportanceAggregatorActor.Props(_run.Continual.Kif, pruner).WithDispatcher(compute), "importance-aggregator");
        return new CoordinatorStages(
            Stage(DataLoaderActor.Props(_run.Continual), "data-loader"),
            _cluster is null
                ? Stage(LearnerActor.Props(_compute, _run, aggregator).WithDispatcher(compute), "learner")
                : Stage(LearnerGroupActor.Props(_run, aggregator, _cluster.MinLearners).WithDispatcher(compute), "learner-group"),
            Stage(EvaluatorActor.Props(_compute, _run.Continual).WithDispatcher(compute), "evaluator"));
    }

    private static IActorRef Stage(Props props, string name) => Context.Watch(Context.ActorOf(props, name));

    /// <summary>The coordinator's own helpers (attempts, submissions) restart too, but losing one costs no committed work.</summary>
    /// <summary>In a state that waits on a stage: a restart of any pipeline stage retries task k from its last commit.</summary>
    private void RetryWhenAStageRestarts(int task) =>
        Command<StageRestarted>(m => IsPipelineStage(m.Stage), m => Retry(task, $"the {m.Stage} stage failed ({m.Reason})"));

    private static bool IsPipelineStage(string name) => !name.StartsWith("attempt-", StringComparison.Ordinal) && name != "submissions";

    protected override SupervisorStrategy SupervisorStrategy() => new StageSupervisorStrategy();

    // ---- The run's sequence: which state comes next, decided from the journal alone -------------------------------

    private void Advance()
    {
        if (_recoveryError is not null)
        {
            Fail(_recoveryError);
            return;
        }
        if (_state.Started is null)
        {
            Starting();
            return;
        }
        var started = _state.Started;
        if (started.SettingsFingerprint != _run.Fingerprint() || !started.TaskNames.SequenceEqual(_tasks.Take(started.TaskNames.Count).Select(t => t.Name)))
        {
            Fail($"run '{_run.RunId}' was started with other settings or tasks (fingerprint {started.SettingsFingerprint}, now {_run.Fingerprint()}); " +
                 "resume it with its original configuration, or choose a new rkif.run-id");
            return;
        }
        int k = _state.NextTask;
        if (k < _state.TaskCount && _state.Trained.TryGetValue(k, out var trained)) Evaluating(k, new CheckpointReference(trained.CheckpointPath, trained.Sha256));
        else if (k < _state.TaskCount) Preparing(k);
        else if (_cluster is not null) Enter(WaitingForTasks, () => { });
        else if (_state.Finished) Finished();
        else Persist(new RunFinished(DateTime.UtcNow), e => { _state.Apply(e); Finished(); });
    }

    /// <summary>No RunStarted yet: the learner saves the freshly initialised adapter (libtorch work stays on the compute thread).</summary>
    private void Starting()
    {
        Enter("starting", () =>
        {
            Command<CheckpointReference>(initial =>
                // The configured tasks only: submissions are journaled on their own (TaskQueued), possibly before this event.
                Persist(new RunStarted(_run.RunId, _run.Fingerprint(), _tasks.Take(_configuredTasks).Select(t => t.Name).ToList(), DateTime.UtcNow, initial.Path, initial.Sha256), e =>
                {
                    _state.Apply(e);
                    Serilog.Log.Information("Run {Run} started: {Tasks} with {Method}", _run.RunId, string.Join(" → ", _tasks.Select(t => t.Name)), _run.Continual.Method);
                    Advance();
                }));
            RetryWhenAStageRestarts(0);
        });
        _learner.Tell(new SaveInitialAdapter());
    }

    private void Preparing(int k)
    {
        Enter("preparing", () =>
        {
            Command<TaskPrepared>(m => m.TaskIndex == k, m =>
            {
                if (_state.LastEventTask == k) Training(m);
                else Persist(new TaskStarted(k), e => { _state.Apply(e); Training(m); });
            });
            RetryWhenAStageRestarts(k);
        });
        _dataLoader.Tell(new PrepareTask(k, _tasks.ToList()));
    }

    /// <summary>One training attempt runs as a child; leaving this state stops it, so its late messages go nowhere.</summary>
    private void Training(TaskPrepared prepared)
    {
        int k = prepared.TaskIndex;
        var attemptId = Guid.NewGuid();
        var task = new TrainTask(k, prepared.Plan, _state.StartingAdapter(k), _state.ResumeCandidates(k), _sources.Take(k + 1).ToList());
        Enter("training", () =>
        {
            // From the current attempt, or straight from a cluster's learner group (it answers its parent).
            bool Current(int taskIndex) => taskIndex == k && (Sender.Equals(_attempt) || (_cluster is not null && Sender.Equals(_learner)));
            Command<StepsCommitted>(m => Current(m.TaskIndex), OnStepsCommitted);
            Command<TaskTrainingDone>(m => Current(m.TaskIndex), OnTaskTrained);
            Command<TrainingFailed>(m => Current(m.TaskIndex), OnTrainingFailed);
            RetryWhenAStageRestarts(k);
        });
        _trainingClock.Restart();
        _attempt = Context.ActorOf(TrainingAttemptActor.Props(_learner, task, attemptId), TrainingAttemptActor.NameFor(attemptId));
    }

    private void OnStepsCommitted(StepsCommitted m) =>
        Persist(new CycleCommitted(m.TaskIndex, m.Step, m.TotalSteps, m.Checkpoint.Path, m.Checkpoint.Sha256, m.Loss), e =>
        {
            _state.Apply(e);
            (_step, _totalSteps) = (m.Step, m.TotalSteps);
            RkifMetrics.CheckpointsCommitted.Add(1);
            CheckpointPruner.AfterJournaled(m.Checkpoint, _run.KeepCheckpoints);   // only now: the journal names a newer commit
        });

    private void OnTaskTrained(TaskTrainingDone m) =>
        Persist(new TaskTrained(m.TaskIndex, m.AdapterCheckpoint.Path, m.AdapterCheckpoint.Sha256, Summaries.Of(m.Stats)), e =>
        {
            _state.Apply(e);
            RkifMetrics.TasksTrained.Add(1);
            Serilog.Log.Information("Task {Index} {Task} trained: {Steps} steps, training loss {Loss:F4} (first answer token {FirstToken:F4}, last 10 % of steps), first-token validation accuracy {Accuracy:P1}, {Tokens} training tokens (rank 0 of a learner group), {Seconds:F1} s since this process started it",
                m.TaskIndex, m.Stats.Task, m.Stats.InnerSteps, m.Stats.FinalLoss, m.Stats.FinalFirstTokenLoss, m.Stats.LastFirstTokenAccuracy,
                m.Stats.TrainingTokens, _trainingClock.Elapsed.TotalSeconds);
            FaultInjection.At("after-task");
            Advance();
        });

    private void OnTrainingFailed(TrainingFailed m)
    {
        int back = _state.LastCommittedStep(m.TaskIndex);
        Persist(new CycleRolledBack(m.TaskIndex, m.Step, back, m.Reason), e =>
        {
            _state.Apply(e);
            RkifMetrics.Rollbacks.Add(1);
            Serilog.Log.Warning("Task {Task}: {Reason}. Rolled back to the commit at step {Step}; nothing after it was merged or kept", m.TaskIndex, m.Reason, back);
            Retry(m.TaskIndex, m.Reason);
        });
    }

    private void Evaluating(int k, CheckpointReference adapter)
    {
        Enter("evaluating", () =>
        {
            Command<RowEvaluated>(m => m.TaskIndex == k, m => Persist(new TaskEvaluated(k, m.Accuracies), e =>
            {
                _state.Apply(e);
                RkifMetrics.TasksEvaluated.Add(1);
                if (_cluster is not null) RunReports.Write(_run, _tasks, _state);   // a live run has no end: report every row
                Advance();
            }));
            RetryWhenAStageRestarts(k);
        });
        _evaluator.Tell(new EvaluateAfterTask(k, adapter, _tasks.ToList()));
    }

    /// <summary>From the last commit again (bounded per task), or the run fails naming the cause.</summary>
    private void Retry(int task, string reason)
    {
        int attempts = _retries[task] = _retries.GetValueOrDefault(task) + 1;
        if (attempts > MaxRetriesPerTask)
        {
            Fail($"task {task} ({_tasks[Math.Min(task, _tasks.Count - 1)].Name}) failed {attempts} times, last: {reason}. " +
                 $"Everything up to step {_state.LastCommittedStep(task)} is committed; fix the cause (e.g. a lower learning rate for a NaN loss) and run the same command to resume");
            return;
        }
        Serilog.Log.Warning("Task {Task}: {Reason}; retrying from the last commit (retry {Retry} of {Max})", task, reason, attempts, MaxRetriesPerTask);
        Advance();
    }

    private void Finished()
    {
        Enter(FinishedPhase, () => { });
        int leaked = Tensors.TensorStoreExtension.For(Context.System).Count;
        if (leaked > 0) Serilog.Log.Warning("{Count} tensors are still in the tensor store at the end of the run (a leak)", leaked);
        RunReports.Write(_run, _tasks, _state, leaked);
        Context.Parent.Tell(new RunEnded(new RunCompleted(_run.RunId, true, null)));
    }

    private void Fail(string error)
    {
        _failure = error;
        Enter($"failed: {error}", () => { });
        Serilog.Log.Error("{Error}", error);
        Context.Parent.Tell(new RunEnded(new RunCompleted(_run.RunId, false, error)));
    }

    // ---- What every state takes -------------------------------------------------------------------------------------

    /// <summary>Switches to a state: its own handlers first, then those every state has. The phase status reports is the state's name.</summary>
    private void Enter(string phase, Action state)
    {
        if (!_attempt.IsNobody())
        {
            Context.Stop(_attempt);   // abandoning the attempt: the learner's late answers to it become dead letters
            _attempt = ActorRefs.Nobody;
        }
        _phase = phase;
        Become(() =>
        {
            state();
            EveryState();
        });
    }

    private void EveryState()
    {
        Command<GetRunStatus>(_ => Sender.Tell(RunStatusBuilder.Build(_run.RunId, _tasks.Select(t => t.Name).ToList(), _state, _phase, _step, _totalSteps, Context.System, _learnerNames)));
        Command<LearnersChanged>(m => _learnerNames = m.Names);
        Command<RegisterLearner>(m => _learner.Forward(m));   // cluster: a learner worker joins the group
        Command<QueueTask>(OnQueueTask);
        Command<SubmissionLoaded>(OnSubmissionLoaded);
        Command<StageRestarted>(m => Serilog.Log.Warning("The {Stage} stage restarted while the run was {Phase} ({Reason}); nothing to resume", m.Stage, _phase, m.Reason));
        Command<Terminated>(m => _failure is null && _phase != FinishedPhase,
            m => Fail($"the {m.ActorRef.Path.Name} stage stopped after failing more than {StageSupervisorStrategy.MaxRestarts} times in {StageSupervisorStrategy.Window.TotalMinutes:0} minutes; " +
                      "everything committed is kept: fix the cause and run the same command to resume"));
        Command<Terminated>(_ => { });
    }

    /// <summary>A validated submission from the gateway; its files are checked and loaded by the submissions child.</summary>
    private void OnQueueTask(QueueTask m)
    {
        // Only a task gateway of this cluster queues tasks (it checked the token and the files first); a QueueTask
        // from any other process would skip both (docs/security.md). Nothing is answered: the sender is no client.
        if (!Cluster.TrustedSenders.IsClusterMember(Context.System, Sender))
        {
            Serilog.Log.Warning("Dropped a QueueTask for {Task} from {Sender}: only a task gateway of this cluster may queue tasks", m.Name, Sender.Path);
            return;
        }
        if (_failure is not null)
            Sender.Tell(TaskSubmissionResult.Refused(m.Name, SubmissionRefusal.Invalid, $"run '{_run.RunId}' failed: {_failure}"));
        else
            _submissions.Tell(new SubmissionRequest(m, _tasks.Select(t => t.Name).ToList(), Sender));
    }

    /// <summary>Journaled (TaskQueued) before the answer, so an accepted task survives any crash.</summary>
    private void OnSubmissionLoaded(SubmissionLoaded m)
    {
        if (_tasks.Any(t => t.Name == m.Task.Name))   // another submission of the name was journaled while this one loaded
        {
            m.Requester.Tell(SubmissionsActor.Duplicate(_run, m.Task.Name));
            return;
        }
        // The run's own copy, hashed: what is journaled is what every later read (resume, every rank) gets.
        Persist(new TaskQueued(m.Task.Name, m.Task.Source, m.Accepted.Stored.Sha256), e =>
        {
            _state.Apply(e);
            AppendTask(SubmittedTaskLoader.Recovered(m.Accepted));
            Serilog.Log.Information("Task {Index} {Task} queued from {Source}", _tasks.Count - 1, m.Task.Name, m.Task.Source);
            m.Requester.Tell(TaskSubmissionResult.Queued(m.Task.Name, _tasks.Count - 1));
            if (_phase == WaitingForTasks) Advance();
        });
    }

    private void AppendTask(LoadedSubmission loaded)
    {
        _tasks.Add(loaded.Task);
        _sources.Add(loaded.Source);
    }

    // ---- Journal failures: reported to the RunSupervisor, which restarts this actor or ends the run ----------------

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        RkifMetrics.JournalWriteFailures.Add(1, new KeyValuePair<string, object?>("outcome", "failed"));
        Context.Parent.Tell(new JournalFailed($"writing {@event.GetType().Name} (event {sequenceNr}) failed: {cause.GetBaseException().Message}"));
        base.OnPersistFailure(cause, @event, sequenceNr);   // stops this actor
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        RkifMetrics.JournalWriteFailures.Add(1, new KeyValuePair<string, object?>("outcome", "rejected"));
        Context.Parent.Tell(new JournalFailed($"the journal rejected {@event.GetType().Name} (event {sequenceNr}): {cause.GetBaseException().Message}"));
        base.OnPersistRejected(cause, @event, sequenceNr);
        Context.Stop(Self);   // the run cannot go on without the event; a fresh coordinator recovers what is journaled
    }

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        Context.Parent.Tell(new JournalFailed($"recovering the run failed{(message is null ? "" : $" at {message.GetType().Name}")}: {reason.GetBaseException().Message}"));
        base.OnRecoveryFailure(reason, message);   // stops this actor
    }

    public static Props Props(RunConfiguration run, ComputeContext compute, CatalogedTasks tasks, ClusterMode? cluster = null, Func<IActorContext, CoordinatorStages>? stages = null) =>
        Akka.Actor.Props.Create(() => new RunCoordinator(run, compute, tasks, cluster, stages));

    /// <summary>The coordinator under its <see cref="RunSupervisor"/>: what <c>rkif run</c> and a cluster's singleton start.</summary>
    public static Props Supervised(RunConfiguration run, ComputeContext compute, CatalogedTasks tasks, TaskCompletionSource<RunCompleted>? completion, ClusterMode? cluster = null) =>
        RunSupervisor.Props(Props(run, compute, tasks, cluster), run.RunId, JournalDescription.Of(run), completion);
}

/// <summary>The stages the coordinator hands work to: the data loader, the learner (or learner group) and the evaluator.</summary>
public sealed record CoordinatorStages(IActorRef DataLoader, IActorRef Learner, IActorRef Evaluator);

/// <summary>How a coordinator runs inside a cluster: its learners are a group of learner workers (at least this many).</summary>
public sealed record ClusterMode(int MinLearners);

using Akka.Actor;
using Akka.Persistence;
using RecurrentKif.Actors.Cluster;
using RecurrentKif.Actors.Pipeline;
using RecurrentKif.Actors.Settings;
using RecurrentKif.Actors.Stages;
using RecurrentKif.Actors.Telemetry;
using RecurrentKif.Gpu.Checkpoints;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Data;
using RecurrentKif.Messages;
using Serilog;

namespace RecurrentKif.Actors;

/// <summary>
/// Owns the run (docs/architecture.md §2 and §5): an event-sourced actor whose journal says which tasks are trained and evaluated and
/// which step of the current task was last committed, with checkpoint references (path + SHA-256), never tensors.
/// On start it recovers the journal and continues from there, so killing the process at any instant and running the
/// same command again resumes from the last commit; no task is trained or evaluated twice once journaled.
/// It supervises the stages (restart on failure, then resume from the last commit) and rolls a NaN loss back to the
/// last commit instead of merging it.
/// </summary>
public sealed class RunCoordinator : ReceivePersistentActor
{
    private const int MaxRetriesPerTask = 2;
    private readonly RunConfiguration _run;
    private readonly ComputeContext _compute;
    private readonly List<ContinualTask> _tasks;
    private readonly List<TaskSource> _sources;
    private readonly int _configuredTasks;
    private readonly System.Diagnostics.Stopwatch _trainingClock = new();
    private readonly TaskCompletionSource<RunCompleted>? _completion;
    private readonly ClusterMode? _cluster;
    private IReadOnlyList<string> _learnerNames = [];
    private string? _recoveryError;
    private readonly RunState _state = new();
    private readonly Dictionary<int, int> _retries = [];
    private IActorRef _dataLoader = ActorRefs.Nobody, _learner = ActorRefs.Nobody, _evaluator = ActorRefs.Nobody;
    private string _phase = "recovering";
    private int _step, _totalSteps;

    public override string PersistenceId { get; }

    /// <param name="tasks">The configured tasks (the start of the sequence; in a cluster, submissions append to it).</param>
    /// <param name="cluster">Null for a single-process run; otherwise the run is trained by the cluster's learner group,
    /// takes submitted tasks, and waits for more when all are done instead of finishing.</param>
    public RunCoordinator(RunConfiguration run, ComputeContext compute, CatalogedTasks tasks, TaskCompletionSource<RunCompleted>? completion, ClusterMode? cluster = null)
    {
        _run = run;
        _compute = compute;
        _tasks = tasks.Tasks.ToList();
        _configuredTasks = _tasks.Count;
        _sources = tasks.Tasks.Select(t => new TaskSource(t.Name, tasks.Folder)).ToList();
        _completion = completion;
        _cluster = cluster;
        PersistenceId = $"rkif-run-{run.RunId}";

        Recover<TaskQueued>(e =>
        {
            _state.Apply(e);
            try { AppendTask(e.TaskName, e.Source); }
            catch (Exception x) when (x is IOException or UnauthorizedAccessException or TaskDataException)
            {
                _recoveryError ??= $"the submitted task '{e.TaskName}' cannot be read from {e.Source} any more: {x.Message}";
            }
        });
        Recover<IRunEvent>(_state.Apply);
        Recover<RecoveryCompleted>(_ => Self.Tell(new AdvanceRun()));

        Command<AdvanceRun>(_ => Advance());
        Command<TaskPrepared>(OnTaskPrepared);
        Command<CheckpointReference>(OnInitialAdapterSaved);
        Command<StepsCommitted>(m => Persist(new CycleCommitted(m.TaskIndex, m.Step, m.TotalSteps, m.Checkpoint.Path, m.Checkpoint.Sha256, m.Loss), e =>
        {
            _state.Apply(e);
            (_step, _totalSteps) = (m.Step, m.TotalSteps);
            RkifMetrics.CheckpointsCommitted.Add(1);
        }));
        Command<TaskTrainingDone>(m => Persist(new TaskTrained(m.TaskIndex, m.AdapterCheckpoint.Path, m.AdapterCheckpoint.Sha256, Summaries.Of(m.Stats)), e =>
        {
            _state.Apply(e);
            RkifMetrics.TasksTrained.Add(1);
            Serilog.Log.Information("Task {Index} {Task} trained: {Steps} steps, training loss {Loss:F4} (first answer token {FirstToken:F4}, last 10 % of steps), first-token validation accuracy {Accuracy:P1}, {Tokens} training tokens (rank 0 of a learner group), {Seconds:F1} s since this process started it",
                m.TaskIndex, m.Stats.Task, m.Stats.InnerSteps, m.Stats.FinalLoss, m.Stats.FinalFirstTokenLoss, m.Stats.LastFirstTokenAccuracy,
                m.Stats.TrainingTokens, _trainingClock.Elapsed.TotalSeconds);
            FaultInjection.At("after-task");
            Advance();
        }));
        Command<RowEvaluated>(m => Persist(new TaskEvaluated(m.TaskIndex, m.Accuracies), e =>
        {
            _state.Apply(e);
            RkifMetrics.TasksEvaluated.Add(1);
            if (_cluster is not null) RunReports.Write(_run, _tasks, _state);   // a live run has no end: report every row
            Advance();
        }));
        Command<TrainingFailed>(OnTrainingFailed);
        Command<StageRestarted>(m => Retry(_state.NextTask, $"the {m.Stage} stage failed ({m.Reason})"));
        Command<GetRunStatus>(_ => Sender.Tell(Status().WithPlainCollections()));   // the answer may cross nodes
        Command<QueueTask>(OnQueueTask);
        Command<LearnersChanged>(m => _learnerNames = m.Names);
        Command<RegisterLearner>(m => _learner.Forward(m));   // cluster: a learner worker joins the group
    }

    private sealed record AdvanceRun;

    // Akka stops the actor after a failed write (and the supervisor restarts it); counted so a dashboard sees a
    // journal in trouble before the run does.
    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        RkifMetrics.JournalWriteFailures.Add(1, new KeyValuePair<string, object?>("outcome", "failed"));
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        RkifMetrics.JournalWriteFailures.Add(1, new KeyValuePair<string, object?>("outcome", "rejected"));
        base.OnPersistRejected(cause, @event, sequenceNr);
    }

    protected override void PreStart()
    {
        string compute = ActorSystemFactory.ComputeDispatcher;
        _dataLoader = Context.ActorOf(DataLoaderActor.Props(_run.Continual), "data-loader");
        _evaluator = Context.ActorOf(EvaluatorActor.Props(_compute, _run.Continual).WithDispatcher(compute), "evaluator");
        // A cycle flows learner → aggregator → pruner → merger, and the merger answers the learner named in the cycle.
        var merger = Context.ActorOf(MergerActor.Props().WithDispatcher(compute), "merger");
        var pruner = Context.ActorOf(PrunerActor.Props(_run.Continual.Kif, merger).WithDispatcher(compute), "pruner");
        var aggregator = Context.ActorOf(ImportanceAggregatorActor.Props(_run.Continual.Kif, pruner).WithDispatcher(compute), "importance-aggregator");
        _learner = _cluster is null
            ? Context.ActorOf(LearnerActor.Props(_compute, _run, aggregator).WithDispatcher(compute), "learner")
            : Context.ActorOf(LearnerGroupActor.Props(_run, aggregator, _cluster.MinLearners).WithDispatcher(compute), "learner-group");
        base.PreStart();
    }

    // Any exception in a stage restarts that stage only; the stage reports the restart and the run resumes from the
    // last commit (bounded retries), so a transient failure costs at most one commit interval.
    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(maxNrOfRetries: 10, withinTimeRange: TimeSpan.FromMinutes(10), localOnlyDecider: e =>
        {
            Serilog.Log.Error(e, "A pipeline stage failed: {Message}", e.Message);
            return Directive.Restart;
        });

    private void Advance()
    {
        if (_recoveryError is not null)
        {
            Fail(_recoveryError);
            return;
        }
        if (_state.Started is null)
        {
            _learner.Tell(new SaveInitialAdapter());   // libtorch work stays on the compute thread
            return;
        }
        AdvanceStarted();
    }

    private void OnInitialAdapterSaved(CheckpointReference initial)
    {
        if (_state.Started is not null) return;
        // The configured tasks only: submissions are journaled on their own (TaskQueued), possibly before this event.
        Persist(new RunStarted(_run.RunId, _run.Fingerprint(), _tasks.Take(_configuredTasks).Select(t => t.Name).ToList(), DateTime.UtcNow, initial.Path, initial.Sha256), e =>
            {
                _state.Apply(e);
                Serilog.Log.Information("Run {Run} started: {Tasks} with {Method}", _run.RunId, string.Join(" → ", _tasks.Select(t => t.Name)), _run.Continual.Method);
                Advance();
            });
    }

    private void AdvanceStarted()
    {
        var started = _state.Started!;
        if (started.SettingsFingerprint != _run.Fingerprint() || !started.TaskNames.SequenceEqual(_tasks.Take(started.TaskNames.Count).Select(t => t.Name)))
        {
            Fail($"run '{_run.RunId}' was started with other settings or tasks (fingerprint {started.SettingsFingerprint}, now {_run.Fingerprint()}); " +
                 "resume it with its original configuration, or choose a new rkif.run-id");
            return;
        }
        int k = _state.NextTask;
        if (k >= _state.TaskCount && _cluster is not null)
        {
            _phase = "waiting for tasks";
            return;
        }
        if (k >= _state.TaskCount)
        {
            if (_state.Finished) Complete();
            else Persist(new RunFinished(DateTime.UtcNow), e => { _state.Apply(e); Complete(); });
            return;
        }
        if (_state.Trained.TryGetValue(k, out var trained))
        {
            _phase = "evaluating";
            _evaluator.Tell(new EvaluateAfterTask(k, new CheckpointReference(trained.CheckpointPath, trained.Sha256), _tasks.ToList()));
            return;
        }
        _phase = "preparing";
        _dataLoader.Tell(new PrepareTask(k, _tasks.ToList()));
    }

    private void OnTaskPrepared(TaskPrepared m)
    {
        void Train()
        {
            _phase = "training";
            _trainingClock.Restart();
            _learner.Tell(new TrainTask(m.TaskIndex, m.Plan, _state.StartingAdapter(m.TaskIndex), _state.ResumeCandidates(m.TaskIndex),
                _sources.Take(m.TaskIndex + 1).ToList()));
        }
        if (_state.LastEventTask == m.TaskIndex) Train();
        else Persist(new TaskStarted(m.TaskIndex), e => { _state.Apply(e); Train(); });
    }

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

    private void Retry(int task, string reason)
    {
        int attempts = _retries[task] = _retries.GetValueOrDefault(task) + 1;
        if (attempts > MaxRetriesPerTask)
        {
            Fail($"task {task} ({_tasks[Math.Min(task, _tasks.Count - 1)].Name}) failed {attempts} times, last: {reason}. " +
                 $"Everything up to step {_state.LastCommittedStep(task)} is committed; fix the cause (e.g. a lower learning rate for a NaN loss) and run the same command to resume");
            return;
        }
        Advance();
    }

    /// <summary>
    /// A validated submission from the gateway: refused if the run already has a task of that name or its files do
    /// not load; otherwise journaled (TaskQueued) before the answer, so an accepted task survives any crash.
    /// </summary>
    private void OnQueueTask(QueueTask m)
    {
        var requester = Sender;
        if (_cluster is null)
        {
            requester.Tell(TaskSubmissionResult.Refused(m.Name, SubmissionRefusal.Invalid, $"run '{_run.RunId}' is a single-process run; it takes no submitted tasks"));
            return;
        }
        if (_tasks.Any(t => t.Name == m.Name))
        {
            requester.Tell(TaskSubmissionResult.Refused(m.Name, SubmissionRefusal.Duplicate, $"run '{_run.RunId}' already has a task named '{m.Name}'"));
            return;
        }
        ContinualTask task;
        try { task = LoadTask(m.Name, m.Source); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or TaskDataException)
        {
            requester.Tell(TaskSubmissionResult.Refused(m.Name, SubmissionRefusal.Invalid, e.Message));
            return;
        }
        Persist(new TaskQueued(m.Name, m.Source), e =>
        {
            _state.Apply(e);
            _tasks.Add(task);
            _sources.Add(new TaskSource(m.Name, m.Source));
            Serilog.Log.Information("Task {Index} {Task} queued from {Source}", _tasks.Count - 1, m.Name, m.Source);
            requester.Tell(TaskSubmissionResult.Queued(m.Name, _tasks.Count - 1));
            if (_phase == "waiting for tasks") Advance();
        });
    }

    private void AppendTask(string name, string folder)
    {
        _tasks.Add(LoadTask(name, folder));
        _sources.Add(new TaskSource(name, folder));
    }

    private ContinualTask LoadTask(string name, string folder) =>
        BenchmarkTaskLoader.Load(folder, [name], _run.Sizes, _run.Continual.FineTune.Seed)[0];

    private RunStatus Status() => new(
        _run.RunId, _tasks.Select(t => t.Name).ToList(), _state.NextTask, _phase, _step, _totalSteps,
        _state.Commits.Values.SelectMany(c => c).LastOrDefault()?.CheckpointPath,
        Enumerable.Range(0, _state.TaskCount).Where(_state.Rows.ContainsKey).Select(k => _state.Rows[k]).ToList(),
        _state.Finished, ((ExtendedActorSystem)Context.System).Provider.DefaultAddress.ToString(), _learnerNames);

    private void Complete()
    {
        _phase = "finished";
        int leaked = Tensors.TensorStoreExtension.For(Context.System).Count;
        if (leaked > 0) Serilog.Log.Warning("{Count} tensors are still in the tensor store at the end of the run (a leak)", leaked);
        RunReports.Write(_run, _tasks, _state, leaked);
        _completion?.TrySetResult(new RunCompleted(_run.RunId, true, null));
    }

    private void Fail(string error)
    {
        _phase = "failed";
        Serilog.Log.Error("{Error}", error);
        _completion?.TrySetResult(new RunCompleted(_run.RunId, false, error));
    }

    public static Props Props(RunConfiguration run, ComputeContext compute, CatalogedTasks tasks, TaskCompletionSource<RunCompleted>? completion, ClusterMode? cluster = null) =>
        Akka.Actor.Props.Create(() => new RunCoordinator(run, compute, tasks, completion, cluster));
}

/// <summary>How a coordinator runs inside a cluster: its learners are a group of learner workers (at least this many).</summary>
public sealed record ClusterMode(int MinLearners);

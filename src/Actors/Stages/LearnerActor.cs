using Akka.Actor;
using RecurrentKif.Actors.Pipeline;
using RecurrentKif.Actors.Settings;
using RecurrentKif.Actors.Telemetry;
using RecurrentKif.Actors.Tensors;
using RecurrentKif.Gpu.Checkpoints;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Training;
using RecurrentKif.Gpu.TrainingLogs;
using RecurrentKif.Messages;
using Serilog;

namespace RecurrentKif.Actors.Stages;

/// <summary>
/// Trains one task on this node's device: the inner steps and, at the end of each cycle, the outer steps, after which
/// the cycle's importance goes through aggregator → pruner → merger and a new fused θ comes back, which the learner
/// copies into its parameters. Commits (checkpoint + a message the coordinator journals) every commit-every steps; the same <see cref="TaskSession"/> stages as the plain
/// loop run in the same order, so a pipeline run is bit-identical to <see cref="TaskTrainer"/> on CPU.
/// Every step and fusion also goes to the training logs (trainer_log.jsonl, TensorBoard, metrics), which are flushed
/// at each commit and cut back to the commit a task resumes from (docs/observability.md).
/// </summary>
public sealed class LearnerActor : ReceiveActor
{
    private readonly ComputeContext _compute;
    private readonly RunConfiguration _run;
    private readonly IActorRef _aggregator;
    private readonly TensorStore _store;
    private readonly string _checkpoints;
    private readonly bool _exchangeEveryCycle;
    private readonly TrainingLogSet _logs;
    private TaskTrainer? _trainer;
    private TaskSession? _session;
    private int _task = -1;
    private IActorRef _coordinator = ActorRefs.Nobody;

    /// <param name="checkpointFolder">Where this learner writes its commits (the run's folder; one per learner in a cluster).</param>
    /// <param name="exchangeEveryCycle">A member of a learner group: hand every cycle to the aggregator, even one without importance.</param>
    /// <param name="logFolder">Where this learner's training logs go (the run folder; a cluster learner's own folder).</param>
    public LearnerActor(ComputeContext compute, RunConfiguration run, IActorRef aggregator, string checkpointFolder, bool exchangeEveryCycle, string logFolder)
    {
        _exchangeEveryCycle = exchangeEveryCycle;
        _compute = compute;
        _run = run;
        _aggregator = aggregator;
        _checkpoints = checkpointFolder;
        Directory.CreateDirectory(checkpointFolder);
        _store = TensorStoreExtension.For(Context.System);
        _logs = new TrainingLogSet(logFolder, run.Observability.TensorBoard, new MetricsTrainingLog());
        Receive<SaveInitialAdapter>(_ =>
            Sender.Tell(AdapterCheckpoint.Save(_compute.Host.Adapter, CheckpointNames.Initial(_checkpoints), "initial")));
        Receive<TrainTask>(Start);
        Receive<ContinueTraining>(m => { if (m.TaskIndex == _task && _session is not null) RunSteps(); });
        Receive<CycleMerged>(OnCycleMerged);
        Receive<AbandonTask>(_ =>
        {
            DropSession();
            Sender.Tell(new TaskAbandoned());   // after every message this learner sent for the dropped task
        });
    }

    private ModelHost Host => _compute.Host;

    private TaskTrainer Trainer => _trainer ??= Host.Trainer(_run.Continual);

    private void Start(TrainTask m)
    {
        _coordinator = Sender;
        _session?.Dispose();
        _session = null;
        _task = m.TaskIndex;
        string resumedFrom = "the start of the task";
        foreach (var candidate in m.ResumeCandidates)
        {
            var session = Trainer.Start(m.Plan);
            try
            {
                TaskSessionCheckpoint.Restore(session, candidate);
                _session = session;
                resumedFrom = $"step {session.Step} ({candidate.Path})";
                break;
            }
            catch (CheckpointException e)
            {
                session.Dispose();
                Log.Warning("Task {Task}: cannot resume from {Checkpoint}: {Reason}; trying an older commit", m.Plan.Name, candidate.Path, e.Message);
            }
        }
        if (_session is null)
        {
            if (m.PreviousTaskEnd is null) throw new InvalidOperationException($"task {m.TaskIndex} has neither a commit nor a starting adapter");
            AdapterCheckpoint.Restore(Host.Adapter, m.PreviousTaskEnd);
            _session = Trainer.Start(m.Plan);
        }
        if (_session.Step == 0) _session.WarnAboutSettings();
        _logs.ResumeAt(m.TaskIndex, _session.Step);
        Log.Information("Task {Index} {Task}: training from {From}, {Total} steps{Fusion}", m.TaskIndex, m.Plan.Name, resumedFrom,
            _session.TotalSteps, _session.Fuses ? $", fusion every {_run.Continual.Kif.InnerSteps} steps" : "");
        RunSteps();
    }

    /// <summary>Inner steps until a cycle ends (fusion goes through the stages), a commit is due, or the task ends.</summary>
    private void RunSteps()
    {
        var session = _session!;
        while (!session.IsFinished)
        {
            StepResult step;
            try { step = session.InnerStep(); }
            catch (NonFiniteLossException e)
            {
                Fail(e);
                return;
            }
            Publish(step);
            FaultInjection.At("step");
            if (session.CycleDue)
            {
                bool handedOver;
                try { handedOver = StartCycleEnd(session); }
                catch (NonFiniteLossException e)
                {
                    // A NaN outer step is handled as a NaN inner step: nothing applied, back to the last commit.
                    Fail(e);
                    return;
                }
                if (handedOver) return;   // resumes in OnCycleMerged
            }
            if (AfterStep(session)) return;
        }
        FinishTask(session);
    }

    private void Fail(NonFiniteLossException e)
    {
        _coordinator.Tell(new TrainingFailed(_task, e.Step, e.Message, NonFiniteLoss: true));
        DropSession();
    }

    /// <summary>Outer learner, then hands the importance to the aggregator; false when no fusion is possible this cycle.</summary>
    private bool StartCycleEnd(TaskSession session)
    {
        var afterInner = session.SnapshotWeights();
        try
        {
            for (int o = 0; o < session.OuterStepsPerCycle; o++) session.OuterStep();
        }
        catch
        {
            foreach (var t in afterInner) t.Dispose();
            throw;
        }
        var scores = session.ImportanceScores();
        if (scores is null && !_exchangeEveryCycle)
        {
            foreach (var t in afterInner) t.Dispose();
            session.SkipFusion();
            return false;
        }
        // θ goes as a copy: the stages only read it and send a new fused θ back, which OnCycleMerged copies in.
        var cycle = new CycleContext(_task, session.Step,
            _store.PutAll("theta", session.SnapshotWeights()), _store.BorrowAll("theta-ref", session.Reference!),
            _store.PutAll("theta-q", afterInner), Self);
        _aggregator.Tell(scores is { } s
            ? new ImportanceMeasured(cycle, _store.PutAll("inner-score", s.Inner), _store.PutAll("outer-score", s.Outer))
            : new ImportanceMeasured(cycle, [], []));   // a group member still sends its weights, so the group can average
        return true;
    }

    private void OnCycleMerged(CycleMerged m)
    {
        if (m.TaskIndex != _task || _session is null || _session.Step != m.Step)
        {
            _store.ReleaseAll(m.Theta);   // a stale cycle from before a retry
            return;
        }
        _session.Adapter.CopyFrom(_store.ResolveAll(m.Theta));
        _store.ReleaseAll(m.Theta);
        if (m.Skipped) _session.SkipFusion();
        else
        {
            _session.CompleteFusion(m.Shares);
            _logs.Fusion(new FusionLogEntry(_task, _session.Plan.Name, _session.Step, (_session.Step - 1) / _run.Continual.Kif.InnerSteps + 1, m.Shares));
        }
        if (AfterStep(_session)) return;
        RunSteps();
    }

    /// <summary>Validation candidate and commit of a step boundary; true when it committed (the mailbox gets a turn).</summary>
    private bool AfterStep(TaskSession session)
    {
        if (session.ValidationDue) session.ValidateCandidate();
        if (session.IsFinished || session.Step % _run.EffectiveCommitEvery != 0) return false;
        string path = CheckpointNames.StepCommit(_checkpoints, _task, session.Step);
        var checkpoint = TaskSessionCheckpoint.Save(session, path);
        _logs.Flush();
        // No pruning here: the coordinator prunes once the journal holds this commit (Gpu/Checkpoints/CheckpointPruner).
        _coordinator.Tell(new StepsCommitted(_task, session.Step, session.TotalSteps, checkpoint, session.Losses.LastOrDefault()));
        Self.Tell(new ContinueTraining(_task));
        return true;
    }

    private void FinishTask(TaskSession session)
    {
        var stats = session.Finish();
        var adapter = AdapterCheckpoint.Save(Host.Adapter, CheckpointNames.TaskEnd(_checkpoints, _task), session.Plan.Name);
        _logs.Flush();
        _coordinator.Tell(new TaskTrainingDone(_task, adapter, stats));
        DropSession();
    }

    private void Publish(StepResult step)
    {
        var progress = _session!.Progress(step);
        _logs.Step(StepLogEntry.Of(_task, progress));
        Context.System.EventStream.Publish(progress);
    }

    private void DropSession()
    {
        _session?.Dispose();
        _session = null;
        _task = -1;
    }

    protected override void PostRestart(Exception reason)
    {
        // Tensors of a half-finished cycle are dropped; the coordinator, told of the restart by its supervisor strategy
        // (docs/architecture.md §2.2), resumes from the last commit.
        _store.Clear();
    }

    protected override void PostStop()
    {
        _session?.Dispose();
        _logs.Dispose();
    }

    /// <param name="checkpointFolder">Null: the run's checkpoint folder, with the training logs in the run folder. A
    /// cluster learner's own folder holds both its checkpoints and its training logs.</param>
    public static Props Props(ComputeContext compute, RunConfiguration run, IActorRef aggregator, string? checkpointFolder = null, bool exchangeEveryCycle = false) =>
        Akka.Actor.Props.Create(() => new LearnerActor(compute, run, aggregator, checkpointFolder ?? run.CheckpointFolder, exchangeEveryCycle,
            checkpointFolder ?? run.RunFolder));
}

using Akka.Actor;
using RecurrentKif.Actors.Coordination;
using RecurrentKif.Actors.Pipeline;
using RecurrentKif.Actors.Settings;
using RecurrentKif.Actors.Stages;
using RecurrentKif.Gpu.Checkpoints;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Messages;
using Serilog;

namespace RecurrentKif.Actors.Cluster;

/// <summary>
/// One device of a learner node. It keeps registering with the coordinator (wherever the singleton currently runs),
/// and trains the shards the coordinator's learner group assigns: it loads the tasks from the shared data root,
/// derives the plan of task k exactly as the coordinator's data loader would (same tasks, same seed), and runs the
/// ordinary <see cref="LearnerActor"/> with a <see cref="CycleUplinkActor"/> in place of the local fusion stages.
/// </summary>
public sealed class LearnerWorkerActor : ReceiveActor, IWithTimers
{
    private sealed record Register;

    private readonly RunConfiguration _run;
    private readonly string _name;
    private readonly IActorRef _coordinator;
    private readonly IActorRef _learner, _uplink;
    private readonly Dictionary<TaskSource, ContinualTask> _loaded = [];
    private IActorRef _attemptActor = ActorRefs.Nobody;
    private Guid? _attempt;
    private int _rank, _taskIndex = -1;
    private TrainShard? _next;
    /// <summary>Who asked for the initial adapter, in order: the learner answers each <see cref="SaveInitialAdapter"/> in turn.</summary>
    private readonly Queue<IActorRef> _initialAdapterAskers = new();

    public ITimerScheduler Timers { get; set; } = null!;

    public LearnerWorkerActor(ComputeContext compute, RunConfiguration run, string name, IActorRef coordinator)
    {
        _run = run;
        _name = name;
        _coordinator = coordinator;
        string dispatcher = ActorSystemFactory.ComputeDispatcher;
        _uplink = Context.ActorOf(CycleUplinkActor.Props().WithDispatcher(dispatcher), "uplink");
        string folder = Path.Combine(run.CheckpointFolder, "learners", name);
        _learner = Context.ActorOf(LearnerActor.Props(compute, run, _uplink, folder, exchangeEveryCycle: true).WithDispatcher(dispatcher), "learner");

        Receive<NodeUp>(_ => StartRegistering());
        Receive<Register>(_ => _coordinator.Tell(new RegisterLearner(Self, _name, _run.Fingerprint())));
        Receive<TrainShard>(m =>
        {
            // Only an attempt of the coordinator's learner group assigns work (docs/security.md §5): a TrainShard from
            // elsewhere would point this learner's uplink, and so its weights, at the sender. That attempt is the only
            // one whose AbandonShard and (through the uplink) fused θ this worker takes afterwards.
            if (!TrustedSenders.IsLearnerGroupAttempt(Context.System, Sender))
            {
                Log.Warning("Learner {Name} dropped a TrainShard from {Sender}: only an attempt of the run coordinator's learner group assigns shards", _name, Sender.Path);
                return;
            }
            _attemptActor = Sender;
            _next = m;
            _learner.Tell(new AbandonTask());   // the shard starts once the learner confirms (see TaskAbandoned)
        });
        Receive<TaskAbandoned>(_ => StartNext());
        Receive<AbandonShard>(m =>
        {
            if (m.Attempt != _attempt || !Sender.Equals(_attemptActor)) return;
            _attempt = null;
            _learner.Tell(new AbandonTask());
        });
        // The learner answers with the adapter's reference; it goes back on the wire as a plain file (WireForms).
        Receive<SaveInitialAdapter>(m =>
        {
            _initialAdapterAskers.Enqueue(Sender);
            _learner.Tell(m);
        });
        Receive<CheckpointReference>(r =>
        {
            if (Sender.Equals(_learner) && _initialAdapterAskers.TryDequeue(out var asker)) asker.Tell(new InitialAdapterSaved(WireForms.ToWire(r)));
        });
        Receive<StepsCommitted>(m => { if (_attempt is { } attempt) _attemptActor.Tell(new ShardCommitted(attempt, _rank, WireForms.ToWire(m))); });
        Receive<TaskTrainingDone>(m => { if (_attempt is { } attempt) _attemptActor.Tell(new ShardFinished(attempt, _rank, WireForms.ToWire(m))); });
        Receive<TrainingFailed>(m => { if (_attempt is { } attempt) _attemptActor.Tell(new ShardFailed(attempt, _rank, WireForms.ToWire(m))); });
        Receive<StageRestarted>(m =>
        {
            if (_attempt is { } attempt) _attemptActor.Tell(new ShardFailed(attempt, _rank, new ShardFailure(_taskIndex, 0, $"learner {_name}: {m.Reason}", NonFiniteLoss: false)));
        });
    }

    private sealed record NodeUp;

    protected override void PreStart()
    {
        // Only a full member takes work: a node still joining would be trained on while the cluster (and its split
        // brain resolver) does not count it yet.
        var self = Self;
        Akka.Cluster.Cluster.Get(Context.System).RegisterOnMemberUp(() => self.Tell(new NodeUp()));
    }

    private void StartRegistering()
    {
        Timers.StartPeriodicTimer("register", new Register(), TimeSpan.Zero, TimeSpan.FromSeconds(2));
        Log.Information("Learner {Name} ready on {Device}; registering with the coordinator", _name, _run.Device);
    }

    private void StartNext()
    {
        if (_next is not { } m) return;
        _next = null;
        if (m.SettingsFingerprint != _run.Fingerprint())
        {
            _attemptActor.Tell(new ShardFailed(m.Attempt, m.Rank, new ShardFailure(m.TaskIndex, 0,
                $"learner {_name} runs other settings (fingerprint {_run.Fingerprint()}, the run's is {m.SettingsFingerprint}); start every node with the same run configuration",
                NonFiniteLoss: false)));
            return;
        }
        (_attempt, _rank, _taskIndex) = (m.Attempt, m.Rank, m.TaskIndex);
        TaskPlan plan;
        try
        {
            var tasks = m.Tasks.Select(Load).ToList();
            plan = new TaskPlanner(tasks, _run.Continual).Plan(m.TaskIndex) with { Shard = new DataShard(m.Rank, m.LearnerCount) };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Gpu.Data.TaskDataException)
        {
            _attemptActor.Tell(new ShardFailed(m.Attempt, m.Rank, new ShardFailure(m.TaskIndex, 0, $"learner {_name} cannot read the task data: {e.Message}", NonFiniteLoss: false)));
            return;
        }
        Log.Information("Learner {Name}: task {Index} {Task}, rank {Rank} of {Count} (attempt {Attempt})", _name, m.TaskIndex, plan.Name, m.Rank, m.LearnerCount, m.Attempt);
        _uplink.Tell(new CycleUplinkActor.Target(_attemptActor, m.Attempt, m.Rank));
        _learner.Tell(new TrainTask(m.TaskIndex, plan, WireForms.ToReferenceOrNull(m.PreviousTaskEnd), WireForms.ToReferences(m.ResumeCandidates), m.Tasks));
    }

    private ContinualTask Load(TaskSource source)
    {
        if (!_loaded.TryGetValue(source, out var task))
            _loaded[source] = task = SubmittedTaskLoader.Load(_run, source);
        return task;
    }

    public static Props Props(ComputeContext compute, RunConfiguration run, string name, IActorRef coordinator) =>
        Akka.Actor.Props.Create(() => new LearnerWorkerActor(compute, run, name, coordinator));
}

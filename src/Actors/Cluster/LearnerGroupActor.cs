using Akka.Actor;
using Akka.Event;
using RecurrentKif.Actors.Pipeline;
using RecurrentKif.Actors.Settings;
using RecurrentKif.Actors.Tensors;
using RecurrentKif.Messages;
using Serilog;

namespace RecurrentKif.Actors.Cluster;

/// <summary>
/// The coordinator's learner in a cluster (docs/architecture.md §4.3): it speaks the local learner's protocol to the
/// RunCoordinator (TrainTask in; StepsCommitted, TaskTrainingDone, TrainingFailed, StageRestarted out) and trains each
/// task with every registered learner worker, data-parallel (Recurrent-KIF-DP, see README). It is a state machine:
/// idle (no task) → waiting for learners (a task, too few learners) → training (one <see cref="GroupAttemptActor"/>
/// child runs the attempt) → idle; learner registration, the initial adapter and a new TrainTask are taken in every
/// state. A learner that leaves the cluster (node down) abandons the attempt: the coordinator resumes the task from
/// its last commit with the learners that remain.
/// </summary>
public sealed class LearnerGroupActor : ReceiveActor
{
    private const string StageName = "learner group";
    private readonly RunConfiguration _run;
    private readonly IActorRef _aggregator;
    private readonly int _minLearners;
    private readonly TensorStore _store;
    private readonly SortedDictionary<string, IActorRef> _learners = new(StringComparer.Ordinal);
    private readonly List<IActorRef> _initialAdapterRequests = [];
    /// <summary>Requests sent to a worker, in order: which worker saves the initial adapter for which asker.</summary>
    private readonly List<(IActorRef Worker, IActorRef Asker)> _initialAdapterSaving = [];
    /// <summary>min-learners only holds back the first task (so the cluster can form); after a loss the run goes on with those left.</summary>
    private bool _anAttemptStarted;
    private IActorRef _attempt = ActorRefs.Nobody;

    public LearnerGroupActor(RunConfiguration run, IActorRef aggregator, int minLearners)
    {
        _run = run;
        _aggregator = aggregator;
        _minLearners = Math.Max(1, minLearners);
        _store = TensorStoreExtension.For(Context.System);
        // A fusion that finishes after its attempt stopped reaches dead letters; its θ is released there (see OnDeadLetter).
        Context.System.EventStream.Subscribe(Self, typeof(DeadLetter));
        Enter(() => { });
    }

    // ---- States ---------------------------------------------------------------------------------------------------

    /// <summary>Switches to a state: its own handlers first, then those every state has. Leaving a state stops its attempt.</summary>
    private void Enter(Action state)
    {
        if (!_attempt.IsNobody())
        {
            Context.Stop(_attempt);   // abandoning the attempt: its ranks are told, and their late answers become dead letters
            _attempt = ActorRefs.Nobody;
        }
        Become(() =>
        {
            state();
            EveryState();
        });
    }

    private void Idle() => Enter(() => { });

    /// <summary>A task, but fewer learners than it needs: every learner that registers may start it.</summary>
    private void WaitingForLearners(TrainTask task)
    {
        Log.Information("Task {Task} waits for learners: {Count} of at least {Min} registered", task.TaskIndex, _learners.Count, _minLearners);
        Enter(() => Receive<RegisterLearner>(m =>
        {
            Register(m);
            if (EnoughLearners) Training(task);
        }));
    }

    /// <summary>
    /// One attempt runs as a child. Its outcome is relayed to the coordinator from here rather than sent to it by the
    /// child: the coordinator takes a training answer only from its learner stage (docs/architecture.md §2.2), and the
    /// group drops an outcome still in its mailbox from an attempt it already stopped (Sender is not the current child).
    /// </summary>
    private void Training(TrainTask task)
    {
        _anAttemptStarted = true;
        var attemptId = Guid.NewGuid();
        var ranks = _learners.Values.ToList();
        Enter(() =>
        {
            bool FromAttempt() => Sender.Equals(_attempt);
            Receive<StepsCommitted>(_ => FromAttempt(), m => Context.Parent.Tell(m));
            Receive<TaskTrainingDone>(_ => FromAttempt(), m => EndAttempt(m));
            Receive<TrainingFailed>(_ => FromAttempt(), m => EndAttempt(m));
            Receive<StageRestarted>(_ => FromAttempt(), m => EndAttempt(m));
            Receive<Terminated>(m => ranks.Contains(m.ActorRef), m =>
            {
                string name = Unregister(m);
                // The coordinator resumes the task from its last commit, with the learners that remain.
                EndAttempt(new StageRestarted(StageName, $"learner {name} left the cluster"));
            });
        });
        // On the group's own dispatcher (the compute thread): the attempt creates and reads the cycles' tensors.
        var props = GroupAttemptActor.Props(_run, _aggregator, task, ranks, attemptId).WithDispatcher(Context.Props.Dispatcher);
        _attempt = Context.ActorOf(props, GroupAttemptActor.NameFor(attemptId));
    }

    private void EndAttempt(object outcome)
    {
        Idle();
        Context.Parent.Tell(outcome);
    }

    private bool EnoughLearners => _learners.Count >= (_anAttemptStarted ? 1 : _minLearners);

    // ---- What every state takes -----------------------------------------------------------------------------------

    private void EveryState()
    {
        Receive<RegisterLearner>(Register);
        Receive<Terminated>(m => Unregister(m));
        Receive<SaveInitialAdapter>(_ =>
        {
            _initialAdapterRequests.Add(Sender);
            ServeInitialAdapterRequests();
        });
        Receive<InitialAdapterSaved>(OnInitialAdapterSaved);
        // A new task abandons whatever attempt runs (the coordinator gave up on it).
        Receive<TrainTask>(m =>
        {
            if (EnoughLearners) Training(m);
            else WaitingForLearners(m);
        });
        // Shard results go to the attempt that assigned the shard, never to the group: one here is forged or misrouted.
        Receive<ShardCommitted>(m => DropShardMessage(m, m.Attempt, m.Rank));
        Receive<ShardFinished>(m => DropShardMessage(m, m.Attempt, m.Rank));
        Receive<ShardFailed>(m => DropShardMessage(m, m.Attempt, m.Rank));
        Receive<ShardCycleReady>(m => DropShardMessage(m, m.Attempt, m.Rank));
        Receive<DeadLetter>(OnDeadLetter);
    }

    private void Register(RegisterLearner m)
    {
        if (_learners.TryGetValue(m.Name, out var known) && known.Equals(m.Worker)) return;
        if (m.SettingsFingerprint != _run.Fingerprint())
        {
            Log.Error("Learner {Name} ({Worker}) runs other settings (fingerprint {Theirs}, the run's is {Ours}); it is not used. Start it with the run's configuration",
                m.Name, m.Worker.Path, m.SettingsFingerprint, _run.Fingerprint());
            return;
        }
        _learners[m.Name] = m.Worker;
        Context.Watch(m.Worker);
        Log.Information("Learner {Name} joined ({Worker}); {Count} learner(s)", m.Name, m.Worker.Path.Address, _learners.Count);
        Context.Parent.Tell(new LearnersChanged(_learners.Keys.ToList()));
        ServeInitialAdapterRequests();
    }

    /// <summary>Forgets a learner that left; its name, or "" when it was no registered learner.</summary>
    private string Unregister(Terminated m)
    {
        var gone = _learners.FirstOrDefault(kv => kv.Value.Equals(m.ActorRef));
        if (gone.Key is null) return "";
        _learners.Remove(gone.Key);
        Log.Warning("Learner {Name} left ({Address}); {Count} learner(s) remain", gone.Key, m.ActorRef.Path.Address, _learners.Count);
        Context.Parent.Tell(new LearnersChanged(_learners.Keys.ToList()));
        return gone.Key;
    }

    private void ServeInitialAdapterRequests()
    {
        if (_learners.Count == 0) return;
        var worker = _learners.Values.First();
        foreach (var requester in _initialAdapterRequests)
        {
            _initialAdapterSaving.Add((worker, requester));
            worker.Tell(new SaveInitialAdapter(), Self);
        }
        _initialAdapterRequests.Clear();
    }

    /// <summary>A worker saved the initial adapter: its asker (the coordinator) gets the checkpoint reference, as from a local learner.</summary>
    private void OnInitialAdapterSaved(InitialAdapterSaved m)
    {
        int i = _initialAdapterSaving.FindIndex(w => w.Worker.Equals(Sender));
        if (i < 0)
        {
            Log.Warning("Dropped an initial adapter from {Sender}: no learner was asked to save one", Sender.Path);
            return;
        }
        var asker = _initialAdapterSaving[i].Asker;
        _initialAdapterSaving.RemoveAt(i);
        asker.Tell(WireForms.ToReference(m.Adapter));
    }

    private void DropShardMessage(object message, Guid attempt, int rank) =>
        Log.Warning("Dropped {Message} for attempt {Attempt} rank {Rank} from {Sender}: a rank answers the attempt actor that assigned its shard, not the learner group",
            message.GetType().Name, attempt, rank, Sender.Path);

    /// <summary>
    /// The aggregator (or merger) answers the attempt named in the cycle; when that attempt was stopped meanwhile, the
    /// fused θ lands in dead letters and nobody would copy it in or release it (docs/architecture.md §8: a stage releases what it is handed).
    /// </summary>
    private void OnDeadLetter(DeadLetter d)
    {
        if (d.Message is CycleMerged m && Self.Path.Equals(d.Recipient.Path.Parent)) _store.ReleaseAll(m.Theta);
    }

    public static Props Props(RunConfiguration run, IActorRef aggregator, int minLearners) =>
        Akka.Actor.Props.Create(() => new LearnerGroupActor(run, aggregator, minLearners));

    /// <summary>An attempt's failure is the group's: its own supervisor restarts it and the coordinator resumes the task (StageRestarted).</summary>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Escalate);
}

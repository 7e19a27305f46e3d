using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using RecurrentKif.Actors.Pipeline;
using RecurrentKif.Actors.Settings;
using RecurrentKif.Actors.Tensors;
using RecurrentKif.Gpu.Checkpoints;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Messages;
using Serilog;
using static TorchSharp.torch;

namespace RecurrentKif.Actors.Cluster;

/// <summary>
/// The coordinator's learner in a cluster: it speaks the local learner's protocol to the RunCoordinator (TrainTask in;
/// StepsCommitted, TaskTrainingDone, TrainingFailed, StageRestarted out) and trains each task with every registered
/// learner worker, data-parallel (Recurrent-KIF-DP, see README): each cycle it receives the ranks' weights and importance
/// through StreamRefs and forwards each rank's to the ordinary aggregator, which averages them and runs the aggregator →
/// pruner → merger stages once; it streams the fused θ it gets back to every rank. A step boundary is committed when every rank has
/// written its checkpoint (one <see cref="GroupCommit"/> manifest). A learner that leaves the cluster (node down)
/// abandons the attempt: the coordinator resumes the task from its last commit with the learners that remain.
/// </summary>
public sealed class LearnerGroupActor : ReceiveActor
{
    private sealed record CycleArrived(Guid Attempt, int Step, int Rank, bool HasImportance, TensorPayload Payload, IActorRef Uplink);
    private sealed record StreamFailed(Guid Attempt, string Reason);
    private sealed record FusedOffers(Guid Attempt, int TaskIndex, int Step, MaskShares Shares, bool Fused, IReadOnlyList<ISourceRef<byte[]>> Refs, IActorRef[] Uplinks);

    private static readonly TimeSpan StreamTimeout = TimeSpan.FromMinutes(5);
    private readonly RunConfiguration _run;
    private readonly IActorRef _aggregator;
    private readonly int _minLearners;
    private readonly TensorStore _store;
    private readonly IMaterializer _materializer;
    private readonly SortedDictionary<string, IActorRef> _learners = new(StringComparer.Ordinal);
    private readonly List<IActorRef> _initialAdapterRequests = [];
    /// <summary>Requests sent to a worker, in order: which worker saves the initial adapter for which asker.</summary>
    private readonly List<(IActorRef Worker, IActorRef Asker)> _initialAdapterSaving = [];
    private readonly Dictionary<int, ShardCommitted?[]> _commits = [];
    /// <summary>Per cycle step of the current attempt, each rank's uplink that waits for the fused θ.</summary>
    private readonly Dictionary<int, IActorRef?[]> _cycles = [];
    private TrainTask? _task;
    private IReadOnlyList<IActorRef> _ranks = [];
    private Guid _attempt;
    private int _attemptsStarted;

    public LearnerGroupActor(RunConfiguration run, IActorRef aggregator, int minLearners)
    {
        _run = run;
        _aggregator = aggregator;
        _minLearners = Math.Max(1, minLearners);
        _store = TensorStoreExtension.For(Context.System);
        _materializer = Context.Materializer();

        Receive<RegisterLearner>(OnRegister);
        Receive<Terminated>(OnLearnerGone);
        Receive<SaveInitialAdapter>(_ =>
        {
            _initialAdapterRequests.Add(Sender);
            ServeInitialAdapterRequests();
        });
        Receive<InitialAdapterSaved>(OnInitialAdapterSaved);
        Receive<TrainTask>(m =>
        {
            Abandon();
            _task = m;
            StartAttemptWhenReady();
        });
        Receive<ShardCommitted>(OnCommitted);
        Receive<ShardFinished>(m =>
        {
            if (!FromAttemptRank(m.Attempt, m.Rank, m)) return;
            if (m.Attempt != _attempt || _task is null || m.Rank != 0) return;   // rank 0's selected adapter is the task's
            _task = null;
            Context.Parent.Tell(WireForms.ToDone(m.Done));
        });
        Receive<ShardFailed>(m =>
        {
            if (!FromAttemptRank(m.Attempt, m.Rank, m)) return;
            if (m.Attempt != _attempt || _task is null) return;
            Abandon();
            _task = null;
            Context.Parent.Tell(WireForms.ToFailed(m.Failure));
        });
        Receive<ShardCycleReady>(m =>
        {
            if (m.Attempt != _attempt) return;
            if (!FromAttemptRank(m.Attempt, m.Rank, m, uplink: true)) return;
            Guid attempt = m.Attempt;
            var uplink = Sender;   // the rank's uplink waits for the fused θ
            TensorStream.ReadAsync(m.Tensors.Source, _materializer, StreamTimeout).PipeTo(Self,
                success: p => new CycleArrived(attempt, m.Step, m.Rank, m.HasImportance, p, uplink),
                failure: e => new StreamFailed(attempt, $"receiving rank {m.Rank}'s cycle at step {m.Step} failed: {e.Message}"));
        });
        Receive<CycleArrived>(OnCycleArrived);
        Receive<CycleMerged>(OnMerged);
        Receive<FusedOffers>(m =>
        {
            if (m.Attempt != _attempt) return;
            for (int r = 0; r < m.Uplinks.Length; r++) m.Uplinks[r].Tell(new ShardCycleFused(m.Attempt, m.TaskIndex, m.Step, WireForms.ToWire(m.Shares), m.Fused, m.Refs[r]), Self);
        });
        Receive<StreamFailed>(m =>
        {
            if (m.Attempt != _attempt || _task is null) return;
            Abandon();
            _task = null;
            Context.Parent.Tell(new StageRestarted("learner group", m.Reason));
        });
    }

    private void OnRegister(RegisterLearner m)
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
        StartAttemptWhenReady();
    }

    private void OnLearnerGone(Terminated m)
    {
        var gone = _learners.FirstOrDefault(kv => kv.Value.Equals(m.ActorRef));
        if (gone.Key is null) return;
        _learners.Remove(gone.Key);
        Log.Warning("Learner {Name} left ({Address}); {Count} learner(s) remain", gone.Key, m.ActorRef.Path.Address, _learners.Count);
        Context.Parent.Tell(new LearnersChanged(_learners.Keys.ToList()));
        if (_task is null || !_ranks.Contains(m.ActorRef)) return;
        Abandon();
        _task = null;
        // The coordinator resumes the task from its last commit, with the learners that remain.
        Context.Parent.Tell(new StageRestarted("learner group", $"learner {gone.Key} left the cluster"));
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

    private void StartAttemptWhenReady()
    {
        if (_task is null || _ranks.Count > 0) return;
        // min-learners only holds back the first task (so the cluster can form); after a loss the run goes on with those left.
        if (_learners.Count < (_attemptsStarted == 0 ? _minLearners : 1))
        {
            Log.Information("Task {Task} waits for learners: {Count} of at least {Min} registered", _task.TaskIndex, _learners.Count, _minLearners);
            return;
        }
        var task = _task;
        _attempt = Guid.NewGuid();
        _attemptsStarted++;
        _ranks = _learners.Values.ToList();
        var perRank = ResumeCandidatesPerRank(task.ResumeCandidates, _ranks.Count);
        for (int r = 0; r < _ranks.Count; r++)
            _ranks[r].Tell(new TrainShard(_attempt, task.TaskIndex, task.Sources, r, _ranks.Count, WireForms.ToWireOrNull(task.PreviousTaskEnd), WireForms.ToWire(perRank[r]), _run.Fingerprint()), Self);
        Log.Information("Task {Index} {Task}: attempt {Attempt} on {Count} learner(s): {Names}", task.TaskIndex, task.Plan.Name, _attempt, _ranks.Count,
            string.Join(", ", _learners.Keys));
    }

    /// <summary>
    /// Each commit is a manifest of every rank's checkpoint; rank r resumes from the checkpoint of rank r mod (ranks then).
    /// A manifest with a missing or altered file is skipped, for every rank alike, so all ranks resume from one step.
    /// </summary>
    private static List<List<CheckpointReference>> ResumeCandidatesPerRank(IReadOnlyList<CheckpointReference> manifests, int ranks)
    {
        var perRank = Enumerable.Range(0, ranks).Select(_ => new List<CheckpointReference>()).ToList();
        foreach (var manifest in manifests)
        {
            IReadOnlyList<CheckpointReference> files;
            try { files = GroupCommit.Read(manifest); }
            catch (CheckpointException e)
            {
                Log.Warning("Cannot resume from {Commit}: {Reason}; trying an older commit", manifest.Path, e.Message);
                continue;
            }
            for (int r = 0; r < ranks; r++) perRank[r].Add(files[r % files.Count]);
        }
        return perRank;
    }

    private void OnCommitted(ShardCommitted m)
    {
        if (!FromAttemptRank(m.Attempt, m.Rank, m)) return;
        if (m.Attempt != _attempt || _task is null) return;
        int step = m.Commit.Step;
        if (!_commits.TryGetValue(step, out var ranks)) _commits[step] = ranks = new ShardCommitted?[_ranks.Count];
        ranks[m.Rank] = m;
        if (ranks.Any(r => r is null)) return;
        _commits.Remove(step);
        string path = CheckpointNames.GroupCommit(_run.CheckpointFolder, _task.TaskIndex, step);
        var manifest = GroupCommit.Save(path, _task.Plan.Name, step, ranks.Select(r => WireForms.ToReference(r!.Commit.Checkpoint)).ToList());
        // No pruning here: the coordinator prunes once the journal holds this commit (Gpu/Checkpoints/CheckpointPruner).
        Context.Parent.Tell(new StepsCommitted(_task.TaskIndex, step, m.Commit.TotalSteps, manifest, ranks.Average(r => r!.Commit.Loss)));
    }

    /// <summary>
    /// A rank's result is taken only from the learner worker this attempt started as that rank (its uplink, for a
    /// cycle), with the attempt's id (docs/security.md): anything else, a forged commit naming some file or a stale
    /// rank, is dropped and logged. A registered learner's message of another attempt is dropped silently, as before.
    /// </summary>
    private bool FromAttemptRank(Guid attempt, int rank, object message, bool uplink = false)
    {
        bool rankKnown = attempt == _attempt && rank >= 0 && rank < _ranks.Count;
        var expected = rankKnown ? (uplink ? _ranks[rank].Path / "uplink" : _ranks[rank].Path) : null;
        if (expected is not null && Sender.Path.Equals(expected)) return true;
        var worker = uplink ? Sender.Path.Parent : Sender.Path;
        if (_learners.Values.Any(l => l.Path.Equals(worker))) return false;   // a registered learner's late message: stale, not forged
        Log.Warning("Dropped {Message} for attempt {Attempt} rank {Rank} from {Sender}: not the learner this attempt started as that rank",
            message.GetType().Name, attempt, rank, Sender.Path);
        return false;
    }

    /// <summary>
    /// Forwards one rank's cycle to the aggregator, which averages the ranks and runs identification once
    /// (docs/algorithm.md §3.9); the fused θ comes back in <see cref="OnMerged"/>.
    /// </summary>
    private void OnCycleArrived(CycleArrived m)
    {
        if (m.Attempt != _attempt || _task is null) return;
        if (!_cycles.TryGetValue(m.Step, out var uplinks)) _cycles[m.Step] = uplinks = new IActorRef?[_ranks.Count];
        uplinks[m.Rank] = m.Uplink;
        var device = CPU;
        IReadOnlyList<TensorHandle> Put(string part) => _store.PutAll($"rank{m.Rank}-{part}", m.Payload.ToTensors(part, device));
        var cycle = new CycleContext(_task.TaskIndex, m.Step, Put("theta"), Put("reference"), Put("after-inner"), Self)
        {
            Ranks = new CycleRanks(m.Attempt, m.Rank, _ranks.Count),
        };
        // A rank without importance sends no scores: the aggregator then only averages θ.
        _aggregator.Tell(m.HasImportance ? new ImportanceMeasured(cycle, Put("inner"), Put("outer")) : new ImportanceMeasured(cycle, [], []));
    }

    private void OnMerged(CycleMerged m)
    {
        if (m.Attempt != _attempt || _task is null || !_cycles.Remove(m.Step, out var uplinks) || uplinks.Any(u => u is null))
        {
            _store.ReleaseAll(m.Theta);   // a merge of an abandoned attempt
            return;
        }
        Offer(m.Step, m.Theta, m.Shares, fused: !m.Skipped, uplinks!);
    }

    /// <summary>Streams θ to every rank (one stream reference each), then releases it.</summary>
    private void Offer(int step, IReadOnlyList<TensorHandle> theta, MaskShares shares, bool fused, IActorRef?[] uplinks)
    {
        var named = _store.ResolveAll(theta).Select((t, i) => ($"theta.{i:D4}", t)).ToList();
        var sources = uplinks.Select(_ => TensorStream.From(named)).ToList();
        _store.ReleaseAll(theta);
        var ranks = uplinks.Select(u => u!).ToArray();
        Guid attempt = _attempt; int task = _task!.TaskIndex;
        Task.WhenAll(sources.Select(s => s.RunWith(StreamRefs.SourceRef<byte[]>(), _materializer)))
            .PipeTo(Self, success: refs => new FusedOffers(attempt, task, step, shares, fused, refs, ranks));
    }

    private void Abandon()
    {
        foreach (var rank in _ranks) rank.Tell(new AbandonShard(_attempt), Self);
        _ranks = [];
        _commits.Clear();
        _cycles.Clear();
        // A fusion in flight is left to finish; OnMerged then releases its θ.
    }

    protected override void PostStop() => Abandon();

    public static Props Props(RunConfiguration run, IActorRef aggregator, int minLearners) =>
        Akka.Actor.Props.Create(() => new LearnerGroupActor(run, aggregator, minLearners));
}

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
/// One attempt of the learner group at one task (docs/architecture.md §4.3), the cluster's counterpart of the
/// coordinator's <see cref="Coordination.TrainingAttemptActor"/>: it sends every rank its <see cref="TrainShard"/> with
/// itself as the sender, so the workers and their uplinks answer this actor; it gathers the ranks' commits into one
/// <see cref="GroupCommit"/> manifest per step, forwards each rank's cycle to the aggregator (which answers this actor)
/// and streams the fused θ back to every uplink. Its outcome (StepsCommitted, TaskTrainingDone, TrainingFailed,
/// StageRestarted) goes to the group. The group abandons the attempt by stopping this actor: the ranks are told
/// <see cref="AbandonShard"/>, and whatever they still send for it goes to dead letters.
/// </summary>
public sealed class GroupAttemptActor : ReceiveActor
{
    private sealed record CycleArrived(int Step, int Rank, bool HasImportance, TensorPayload Payload, IActorRef Uplink);
    private sealed record StreamFailed(string Reason);
    private sealed record FusedOffers(int Step, MaskShares Shares, bool Fused, IReadOnlyList<ISourceRef<byte[]>> Refs, IActorRef[] Uplinks);

    private static readonly TimeSpan StreamTimeout = TimeSpan.FromMinutes(5);
    private readonly RunConfiguration _run;
    private readonly IActorRef _aggregator;
    private readonly TrainTask _task;
    private readonly IReadOnlyList<IActorRef> _ranks;
    private readonly Guid _attempt;
    private readonly TensorStore _store;
    private readonly IMaterializer _materializer;
    /// <summary>Per step, each rank's commit; the step is committed once every rank's is here.</summary>
    private readonly Dictionary<int, ShardCommitted?[]> _commits = [];
    /// <summary>Per cycle step, each rank's uplink that waits for the fused θ.</summary>
    private readonly Dictionary<int, IActorRef?[]> _cycles = [];

    public GroupAttemptActor(RunConfiguration run, IActorRef aggregator, TrainTask task, IReadOnlyList<IActorRef> ranks, Guid attempt)
    {
        _run = run;
        _aggregator = aggregator;
        _task = task;
        _ranks = ranks;
        _attempt = attempt;
        _store = TensorStoreExtension.For(Context.System);
        _materializer = Context.Materializer();
        Running();
    }

    /// <summary>The ranks train: their commits, cycles and results are taken.</summary>
    private void Running()
    {
        Receive<ShardCommitted>(m => { if (FromAttemptRank(m.Attempt, m.Rank, m)) OnCommitted(m); });
        Receive<ShardFinished>(m =>
        {
            // Rank 0's selected adapter is the task's; the other ranks' results are not needed.
            if (FromAttemptRank(m.Attempt, m.Rank, m) && m.Rank == 0) End(WireForms.ToDone(m.Done));
        });
        Receive<ShardFailed>(m => { if (FromAttemptRank(m.Attempt, m.Rank, m)) End(WireForms.ToFailed(m.Failure)); });
        Receive<ShardCycleReady>(m => { if (FromAttemptRank(m.Attempt, m.Rank, m, uplink: true)) OnCycleReady(m); });
        Receive<CycleArrived>(OnCycleArrived);
        Receive<CycleMerged>(OnMerged);
        Receive<FusedOffers>(m =>
        {
            for (int r = 0; r < m.Uplinks.Length; r++)
                m.Uplinks[r].Tell(new ShardCycleFused(_attempt, _task.TaskIndex, m.Step, WireForms.ToWire(m.Shares), m.Fused, m.Refs[r]), Self);
        });
        Receive<StreamFailed>(m => End(new StageRestarted("learner group", m.Reason)));
    }

    /// <summary>
    /// The outcome is told to the group, which stops this actor; until then nothing more is taken, and a fused θ that
    /// still arrives is released (nobody copies it in).
    /// </summary>
    private void End(object outcome)
    {
        Context.Parent.Tell(outcome);
        Become(() =>
        {
            Receive<CycleMerged>(m => _store.ReleaseAll(m.Theta));
            ReceiveAny(_ => { });
        });
    }

    protected override void PreStart()
    {
        var perRank = ResumeCandidatesPerRank(_task.ResumeCandidates, _ranks.Count);
        // This actor is the sender: the workers answer it, and their late answers die with it (docs/security.md §5).
        for (int r = 0; r < _ranks.Count; r++)
            _ranks[r].Tell(new TrainShard(_attempt, _task.TaskIndex, _task.Sources, r, _ranks.Count, WireForms.ToWireOrNull(_task.PreviousTaskEnd), WireForms.ToWire(perRank[r]), _run.Fingerprint()), Self);
        Log.Information("Task {Index} {Task}: attempt {Attempt} on {Count} learner(s): {Workers}", _task.TaskIndex, _task.Plan.Name, _attempt, _ranks.Count,
            string.Join(", ", _ranks.Select(r => r.Path.Address)));
    }

    /// <summary>Abandoned or over: the ranks stop training this attempt (a worker ignores it once it trains another).</summary>
    protected override void PostStop()
    {
        foreach (var rank in _ranks) rank.Tell(new AbandonShard(_attempt), Self);
        // A fusion still in flight is released by the group when its CycleMerged reaches dead letters.
    }

    // The group escalates this actor's failures (its own supervisor restarts the group), so there is no restart to repeat the TrainShards.
    protected override void PostRestart(Exception reason) { }

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
    /// cycle), with the attempt's id (docs/security.md §5): anything else, a forged commit naming some file or a wrong
    /// rank, is dropped and logged. A rank's message of the attempt it trained before this one is stale: dropped silently.
    /// </summary>
    private bool FromAttemptRank(Guid attempt, int rank, object message, bool uplink = false)
    {
        var expected = rank >= 0 && rank < _ranks.Count ? (uplink ? _ranks[rank].Path / "uplink" : _ranks[rank].Path) : null;
        if (attempt == _attempt && expected is not null && Sender.Path.Equals(expected)) return true;
        var worker = uplink ? Sender.Path.Parent : Sender.Path;
        if (attempt != _attempt && _ranks.Any(r => r.Path.Equals(worker))) return false;
        Log.Warning("Dropped {Message} for attempt {Attempt} rank {Rank} from {Sender}: not the learner attempt {Current} started as that rank",
            message.GetType().Name, attempt, rank, Sender.Path, _attempt);
        return false;
    }

    private void OnCycleReady(ShardCycleReady m)
    {
        var uplink = Sender;   // the rank's uplink waits for the fused θ
        TensorStream.ReadAsync(m.Tensors.Source, _materializer, StreamTimeout).PipeTo(Self,
            success: p => new CycleArrived(m.Step, m.Rank, m.HasImportance, p, uplink),
            failure: e => new StreamFailed($"receiving rank {m.Rank}'s cycle at step {m.Step} failed: {e.Message}"));
    }

    /// <summary>
    /// Forwards one rank's cycle to the aggregator, which averages the ranks and runs identification once
    /// (docs/algorithm.md §3.9); the fused θ comes back to this actor in <see cref="OnMerged"/>.
    /// </summary>
    private void OnCycleArrived(CycleArrived m)
    {
        if (!_cycles.TryGetValue(m.Step, out var uplinks)) _cycles[m.Step] = uplinks = new IActorRef?[_ranks.Count];
        uplinks[m.Rank] = m.Uplink;
        var device = CPU;
        IReadOnlyList<TensorHandle> Put(string part) => _store.PutAll($"rank{m.Rank}-{part}", m.Payload.ToTensors(part, device));
        var cycle = new CycleContext(_task.TaskIndex, m.Step, Put("theta"), Put("reference"), Put("after-inner"), Self)
        {
            Ranks = new CycleRanks(_attempt, m.Rank, _ranks.Count),
        };
        // A rank without importance sends no scores: the aggregator then only averages θ.
        _aggregator.Tell(m.HasImportance ? new ImportanceMeasured(cycle, Put("inner"), Put("outer")) : new ImportanceMeasured(cycle, [], []));
    }

    private void OnMerged(CycleMerged m)
    {
        if (m.Attempt != _attempt || !_cycles.Remove(m.Step, out var uplinks) || uplinks.Any(u => u is null))
        {
            _store.ReleaseAll(m.Theta);
            return;
        }
        Offer(m.Step, m.Theta, m.Shares, fused: !m.Skipped, uplinks.Select(u => u!).ToArray());
    }

    /// <summary>Streams θ to every rank (one stream reference each), then releases it.</summary>
    private void Offer(int step, IReadOnlyList<TensorHandle> theta, MaskShares shares, bool fused, IActorRef[] uplinks)
    {
        var named = _store.ResolveAll(theta).Select((t, i) => ($"theta.{i:D4}", t)).ToList();
        var sources = uplinks.Select(_ => TensorStream.From(named)).ToList();
        _store.ReleaseAll(theta);
        Task.WhenAll(sources.Select(s => s.RunWith(StreamRefs.SourceRef<byte[]>(), _materializer)))
            .PipeTo(Self, success: refs => new FusedOffers(step, shares, fused, refs, uplinks));
    }

    public static string NameFor(Guid attempt) => $"attempt-{attempt:N}";

    public static Props Props(RunConfiguration run, IActorRef aggregator, TrainTask task, IReadOnlyList<IActorRef> ranks, Guid attempt) =>
        Akka.Actor.Props.Create(() => new GroupAttemptActor(run, aggregator, task, ranks, attempt));
}

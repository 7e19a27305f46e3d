using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using RecurrentKif.Actors.Pipeline;
using RecurrentKif.Actors.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace RecurrentKif.Actors.Cluster;

/// <summary>
/// Stands in, on a learner node, for the aggregator → pruner → merger chain: at the end of each cycle it streams this
/// rank's weights and importance to the coordinator's learner group (StreamRefs), waits for the group's fused θ,
/// writes it into the learner's live parameters and lets the learner go on, exactly as the local merger does.
/// Runs on the compute thread (it touches the live tensors).
/// </summary>
public sealed class CycleUplinkActor : ReceiveActor
{
    /// <summary>Worker → uplink: where to send cycles of the current attempt.</summary>
    public sealed record Target(IActorRef Group, Guid Attempt, int Rank);

    private sealed record Offered(CycleContext Cycle, bool HasImportance, ISourceRef<byte[]> Ref);
    private sealed record FusedArrived(ShardCycleFused Message, TensorPayload Payload);

    private static readonly TimeSpan StreamTimeout = TimeSpan.FromMinutes(5);
    private readonly TensorStore _store;
    private readonly IMaterializer _materializer;
    private Target? _target;
    private CycleContext? _pending;

    public CycleUplinkActor()
    {
        _store = TensorStoreExtension.For(Context.System);
        _materializer = Context.Materializer();
        Receive<Target>(t =>
        {
            ReleasePending();
            _target = t;
        });
        Receive<ImportanceMeasured>(OnCycleEnd);
        Receive<Offered>(o =>
        {
            if (_target is { } t && ReferenceEquals(o.Cycle, _pending))
                t.Group.Tell(new ShardCycleReady(t.Attempt, o.Cycle.TaskIndex, o.Cycle.Step, t.Rank, o.HasImportance, o.Ref));
        });
        Receive<ShardCycleFused>(m =>
        {
            if (_target?.Attempt != m.Attempt || _pending is null || _pending.Step != m.Step) return;   // from an abandoned attempt
            if (!Sender.Equals(_target.Group))
            {
                Serilog.Log.Warning("Dropped a fused cycle for step {Step} from {Sender}: only the learner group of the attempt may send one", m.Step, Sender.Path);
                return;
            }
            TensorStream.ReadAsync(m.Theta.Source, _materializer, StreamTimeout)
                .PipeTo(Self, success: payload => new FusedArrived(m, payload));
        });
        Receive<FusedArrived>(OnFused);
        Receive<Status.Failure>(f => throw new InvalidOperationException($"streaming a cycle to or from the learner group failed: {f.Cause.Message}", f.Cause));
    }

    private void OnCycleEnd(ImportanceMeasured m)
    {
        ReleasePending();
        var cycle = m.Cycle;
        var named = new List<(string, Tensor)>();
        void Add(string prefix, IReadOnlyList<TensorHandle> handles) =>
            named.AddRange(_store.ResolveAll(handles).Select((t, i) => ($"{prefix}.{i:D4}", t)));
        Add("reference", cycle.Reference);
        Add("after-inner", cycle.AfterInner);
        Add("theta", cycle.Theta);
        Add("inner", m.InnerScores);
        Add("outer", m.OuterScores);
        var source = TensorStream.From(named);   // copies the bytes: the owned tensors can go now
        _store.ReleaseAll(cycle.AfterInner);
        _store.ReleaseAll(m.InnerScores);
        _store.ReleaseAll(m.OuterScores);
        _pending = cycle;
        bool hasImportance = m.InnerScores.Count > 0;
        source.RunWith(StreamRefs.SourceRef<byte[]>(), _materializer)
            .PipeTo(Self, success: r => new Offered(cycle, hasImportance, r));
    }

    private void OnFused(FusedArrived f)
    {
        var cycle = _pending;
        if (cycle is null || _target?.Attempt != f.Message.Attempt || cycle.Step != f.Message.Step) return;
        var theta = _store.ResolveAll(cycle.Theta);
        var fused = f.Payload.ToTensors(theta[0].device);
        try
        {
            if (fused.Count != theta.Count) throw new InvalidDataException($"the group sent {fused.Count} tensors for {theta.Count} LoRA parameters");
            using var _ = no_grad();
            for (int i = 0; i < theta.Count; i++) theta[i].copy_(fused[i]);
        }
        finally { foreach (var t in fused) t.Dispose(); }
        ReleasePending();
        cycle.Learner.Tell(new CycleMerged(cycle.TaskIndex, cycle.Step, f.Message.Shares, Skipped: !f.Message.Fused));
    }

    private void ReleasePending()
    {
        if (_pending is null) return;
        _store.ReleaseAll(_pending.Theta);
        _store.ReleaseAll(_pending.Reference);
        _pending = null;
    }

    protected override void PostStop() => ReleasePending();

    public static Props Props() => Akka.Actor.Props.Create(() => new CycleUplinkActor());
}

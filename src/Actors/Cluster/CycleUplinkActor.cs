using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using RecurrentKif.Actors.Pipeline;
using RecurrentKif.Actors.Tensors;
using RecurrentKif.Messages;
using TorchSharp;
using static TorchSharp.torch;

namespace RecurrentKif.Actors.Cluster;

/// <summary>
/// Stands in, on a learner node, for the aggregator → pruner → merger chain: at the end of each cycle it streams this
/// rank's weights and importance to the coordinator's learner group (StreamRefs), waits for the group's fused θ and
/// hands it to the learner in the store, exactly as the local merger does (the learner copies it in).
/// Runs on the compute thread (it creates and reads tensors).
/// </summary>
public sealed class CycleUplinkActor : ReceiveActor
{
    /// <summary>Worker → uplink: where to send cycles of the current attempt (the learner group's attempt actor that assigned the shard).</summary>
    public sealed record Target(IActorRef AttemptActor, Guid Attempt, int Rank);

    private sealed record Offered(CycleContext Cycle, bool HasImportance, ISourceRef<byte[]> Ref);
    private sealed record FusedArrived(ShardCycleFused Message, TensorPayload Payload);
    /// <summary>The cycle waiting for the group's θ: how many LoRA tensors it has and the device they live on.</summary>
    private sealed record PendingCycle(CycleContext Cycle, int Parameters, Device Device);

    private static readonly TimeSpan StreamTimeout = TimeSpan.FromMinutes(5);
    private readonly TensorStore _store;
    private readonly IMaterializer _materializer;
    private Target? _target;
    private PendingCycle? _pending;

    public CycleUplinkActor()
    {
        _store = TensorStoreExtension.For(Context.System);
        _materializer = Context.Materializer();
        Receive<Target>(t =>
        {
            _pending = null;
            _target = t;
        });
        Receive<ImportanceMeasured>(OnCycleEnd);
        Receive<Offered>(o =>
        {
            if (_target is { } t && ReferenceEquals(o.Cycle, _pending?.Cycle))
                t.AttemptActor.Tell(new ShardCycleReady(t.Attempt, o.Cycle.TaskIndex, o.Cycle.Step, t.Rank, o.HasImportance, o.Ref));
        });
        Receive<ShardCycleFused>(m =>
        {
            if (_target?.Attempt != m.Attempt || _pending is null || _pending.Cycle.Step != m.Step) return;   // from an abandoned attempt
            if (!Sender.Equals(_target.AttemptActor))
            {
                Serilog.Log.Warning("Dropped a fused cycle for step {Step} from {Sender}: only the learner group attempt that assigned the shard may send one", m.Step, Sender.Path);
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
        _pending = null;
        var cycle = m.Cycle;
        var theta = _store.ResolveAll(cycle.Theta);
        var named = new List<(string, Tensor)>();
        void Add(string prefix, IReadOnlyList<TensorHandle> handles) =>
            named.AddRange(_store.ResolveAll(handles).Select((t, i) => ($"{prefix}.{i:D4}", t)));
        Add("reference", cycle.Reference);
        Add("after-inner", cycle.AfterInner);
        Add("theta", cycle.Theta);
        Add("inner", m.InnerScores);
        Add("outer", m.OuterScores);
        var source = TensorStream.From(named);   // copies the bytes: every tensor of the cycle can go now
        _pending = new PendingCycle(cycle, theta.Count, theta[0].device);
        _store.ReleaseAll(cycle.Theta.Concat(cycle.Reference).Concat(cycle.AfterInner).Concat(m.InnerScores).Concat(m.OuterScores));
        bool hasImportance = m.InnerScores.Count > 0;
        source.RunWith(StreamRefs.SourceRef<byte[]>(), _materializer)
            .PipeTo(Self, success: r => new Offered(cycle, hasImportance, r));
    }

    private void OnFused(FusedArrived f)
    {
        if (_pending is not { } pending || _target?.Attempt != f.Message.Attempt || pending.Cycle.Step != f.Message.Step) return;
        var cycle = pending.Cycle;
        var fused = f.Payload.ToTensors(pending.Device);
        if (fused.Count != pending.Parameters)
        {
            foreach (var t in fused) t.Dispose();
            throw new InvalidDataException($"the group sent {fused.Count} tensors for {pending.Parameters} LoRA parameters");
        }
        _pending = null;
        // The learner copies the group's θ into its live parameters and releases it, as after a local merge.
        cycle.Learner.Tell(new CycleMerged(cycle.TaskIndex, cycle.Step, WireForms.ToShares(f.Message.Shares), _store.PutAll("group-theta", fused), Skipped: !f.Message.Fused));
    }

    public static Props Props() => Akka.Actor.Props.Create(() => new CycleUplinkActor());
}

using Akka.Actor;
using RecurrentKif.Actors.Pipeline;
using RecurrentKif.Actors.Tensors;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Messages;
using Serilog;

namespace RecurrentKif.Actors.Stages;

/// <summary>
/// Knowledge identification (docs/algorithm.md §3.3, §3.9): waits for the <see cref="CycleRanks.Count"/> measurements of
/// one cycle (1 in one process, one per rank from a learner group), averages the ranks' θ, θ_Q and scores in rank order
/// (<see cref="DataParallelAverage"/>; one rank is used as it is, which is what its mean would copy), then turns the
/// scores into the key-element masks (<see cref="KnowledgeIdentification"/>) and passes them to the pruner. If some rank
/// measured no importance, nothing is fused: the learner gets the averaged θ back at once.
/// </summary>
public sealed class ImportanceAggregatorActor : ReceiveActor
{
    private readonly KifSettings _kif;
    private readonly IActorRef _pruner;
    private readonly TensorStore _store;
    private readonly RankGather _gather;

    public ImportanceAggregatorActor(KifSettings kif, IActorRef pruner)
    {
        _kif = kif;
        _pruner = pruner;
        _store = TensorStoreExtension.For(Context.System);
        _gather = new RankGather(_store);
        Receive<ImportanceMeasured>(m =>
        {
            // A learner group's attempt that stops with some ranks gathered sends no more: its measurements are released then.
            if (m.Cycle.Ranks.Count > 1) Context.Watch(m.Cycle.Learner);
            if (_gather.Add(m) is { } ranks) Identify(ranks);
        });
        Receive<Terminated>(m => _gather.Drop(m.ActorRef));
    }

    private void Identify(IReadOnlyList<ImportanceMeasured> ranks)
    {
        var first = ranks[0];
        var theta = Averaged(ranks, "theta", m => m.Cycle.Theta);
        // θ_ref is the previous cycle's fused θ, the same on every rank: rank 0's is taken as it is.
        foreach (var m in ranks.Skip(1)) _store.ReleaseAll(m.Cycle.Reference);
        var cycle = first.Cycle with { Theta = theta };
        if (ranks.Any(m => m.InnerScores.Count == 0))
        {
            Log.Warning("Task {Task} step {Step}: a learner measured no importance; the cycle only averages θ", cycle.TaskIndex, cycle.Step);
            _store.ReleaseAll(cycle.Reference);
            foreach (var m in ranks) _store.ReleaseAll(m.Cycle.AfterInner.Concat(m.InnerScores).Concat(m.OuterScores));
            cycle.Learner.Tell(new CycleMerged(cycle.TaskIndex, cycle.Step, MaskShares.Zero, theta, Skipped: true) { Attempt = cycle.Ranks.Attempt });
            return;
        }
        cycle = cycle with { AfterInner = Averaged(ranks, "theta-q", m => m.Cycle.AfterInner) };
        var inner = Averaged(ranks, "inner-score", m => m.InnerScores);
        var outer = Averaged(ranks, "outer-score", m => m.OuterScores);
        var masks = KnowledgeIdentification.Identify(_store.ResolveAll(inner), _store.ResolveAll(outer), _kif);
        _pruner.Tell(new KeyKnowledgeIdentified(cycle, _store.PutAll("in-mask", masks.In), _store.PutAll("out-mask", masks.Out), inner, outer));
    }

    /// <summary>The element-wise mean over ranks, owned by the store; the ranks' own tensors are released.</summary>
    private IReadOnlyList<TensorHandle> Averaged(IReadOnlyList<ImportanceMeasured> ranks, string name, Func<ImportanceMeasured, IReadOnlyList<TensorHandle>> part)
    {
        if (ranks.Count == 1) return part(ranks[0]);
        var mean = DataParallelAverage.Mean(ranks.Select(m => _store.ResolveAll(part(m))).ToList());
        foreach (var m in ranks) _store.ReleaseAll(part(m));
        return _store.PutAll(name, mean);
    }

    protected override void PostStop() => _gather.Clear();

    public static Props Props(KifSettings kif, IActorRef pruner) => Akka.Actor.Props.Create(() => new ImportanceAggregatorActor(kif, pruner));
}

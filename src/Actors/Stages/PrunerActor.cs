using Akka.Actor;
using RecurrentKif.Actors.Pipeline;
using RecurrentKif.Actors.Tensors;
using RecurrentKif.Gpu.Continual;

namespace RecurrentKif.Actors.Stages;

/// <summary>
/// Redundant-knowledge pruning as per-element weights (docs/algorithm.md §3.4), by <see cref="FusionWeighting"/>: the
/// fusion table of the settings (ablations included) over the masks, or adaptive weights from the scores.
/// </summary>
public sealed class PrunerActor : ReceiveActor
{
    public PrunerActor(KifSettings kif, IActorRef merger)
    {
        var store = TensorStoreExtension.For(Context.System);
        Receive<KeyKnowledgeIdentified>(m =>
        {
            var weights = FusionWeighting.Weigh(store.ResolveAll(m.InMasks), store.ResolveAll(m.OutMasks),
                store.ResolveAll(m.InnerScores), store.ResolveAll(m.OuterScores), kif);
            store.ReleaseAll(m.InMasks.Concat(m.OutMasks).Concat(m.InnerScores).Concat(m.OuterScores));
            merger.Tell(new FusionWeightsReady(m.Cycle, store.PutAll("w-in", weights.In), store.PutAll("w-out", weights.Out), weights.Shares));
        });
    }

    public static Props Props(KifSettings kif, IActorRef merger) => Akka.Actor.Props.Create(() => new PrunerActor(kif, merger));
}

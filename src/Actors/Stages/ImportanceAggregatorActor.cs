using Akka.Actor;
using RecurrentKif.Actors.Pipeline;
using RecurrentKif.Actors.Tensors;
using RecurrentKif.Gpu.Continual;

namespace RecurrentKif.Actors.Stages;

/// <summary>
/// Knowledge identification (docs/algorithm.md §3.3): turns the cycle's inner and outer importance scores into the masks
/// of key elements for the new task and for the old ones (global top-20 % by default), then passes them to the pruner.
/// </summary>
public sealed class ImportanceAggregatorActor : ReceiveActor
{
    public ImportanceAggregatorActor(KifSettings kif, IActorRef pruner)
    {
        var store = TensorStoreExtension.For(Context.System);
        Receive<ImportanceMeasured>(m =>
        {
            var inMasks = QuantileMask.Build(store.ResolveAll(m.InnerScores), kif.Quantile, kif.GlobalQuantile).Masks;
            var outMasks = QuantileMask.Build(store.ResolveAll(m.OuterScores), kif.Quantile, kif.GlobalQuantile).Masks;
            store.ReleaseAll(m.InnerScores);
            store.ReleaseAll(m.OuterScores);
            pruner.Tell(new KeyKnowledgeIdentified(m.Cycle, store.PutAll("in-mask", inMasks), store.PutAll("out-mask", outMasks)));
        });
    }

    public static Props Props(KifSettings kif, IActorRef pruner) => Akka.Actor.Props.Create(() => new ImportanceAggregatorActor(kif, pruner));
}

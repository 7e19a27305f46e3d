using Akka.Actor;
using RecurrentKif.Actors.Pipeline;
using RecurrentKif.Actors.Tensors;
using RecurrentKif.Gpu.Continual;

namespace RecurrentKif.Actors.Stages;

/// <summary>
/// Redundant-knowledge pruning as per-element weights (docs/algorithm.md §3.4): where only one side's mask is on, the
/// other side's update gets weight 0; shared and unimportant elements get the merge weights of the table.
/// </summary>
public sealed class PrunerActor : ReceiveActor
{
    public PrunerActor(FusionWeightTable table, IActorRef merger)
    {
        var store = TensorStoreExtension.For(Context.System);
        Receive<KeyKnowledgeIdentified>(m =>
        {
            var inMasks = store.ResolveAll(m.InMasks);
            var outMasks = store.ResolveAll(m.OutMasks);
            var inWeights = new List<TorchSharp.torch.Tensor>(inMasks.Count);
            var outWeights = new List<TorchSharp.torch.Tensor>(inMasks.Count);
            var shares = MaskShares.Zero;
            for (int i = 0; i < inMasks.Count; i++)
            {
                var (wIn, wOut) = table.Weights(inMasks[i], outMasks[i]);
                inWeights.Add(wIn);
                outWeights.Add(wOut);
                shares += KnowledgeFusion.Count(inMasks[i], outMasks[i]);
            }
            store.ReleaseAll(m.InMasks);
            store.ReleaseAll(m.OutMasks);
            merger.Tell(new FusionWeightsReady(m.Cycle, store.PutAll("w-in", inWeights), store.PutAll("w-out", outWeights), shares));
        });
    }

    public static Props Props(FusionWeightTable table, IActorRef merger) => Akka.Actor.Props.Create(() => new PrunerActor(table, merger));
}

using Akka.Actor;
using RecurrentKif.Actors.Pipeline;
using RecurrentKif.Actors.Tensors;
using RecurrentKif.Gpu.Continual;

namespace RecurrentKif.Actors.Stages;

/// <summary>
/// Key-knowledge merging (docs/algorithm.md §3.4), by <see cref="KnowledgeMerge"/>: θ' = θ_ref + w_in ⊙ τ_in +
/// w_out ⊙ τ_out as new tensors, put in the store and sent to the learner, which copies them into its live parameters
/// and releases them. Every other tensor of the cycle is released here.
/// </summary>
public sealed class MergerActor : ReceiveActor
{
    public MergerActor()
    {
        var store = TensorStoreExtension.For(Context.System);
        Receive<FusionWeightsReady>(m =>
        {
            var cycle = m.Cycle;
            var fused = KnowledgeMerge.Merge(store.ResolveAll(cycle.Reference), store.ResolveAll(cycle.AfterInner), store.ResolveAll(cycle.Theta),
                store.ResolveAll(m.InWeights), store.ResolveAll(m.OutWeights));
            store.ReleaseAll(cycle.Theta.Concat(cycle.Reference).Concat(cycle.AfterInner).Concat(m.InWeights).Concat(m.OutWeights));
            cycle.Learner.Tell(new CycleMerged(cycle.TaskIndex, cycle.Step, m.Shares, store.PutAll("fused-theta", fused)) { Attempt = cycle.Ranks.Attempt });
        });
    }

    public static Props Props() => Akka.Actor.Props.Create(() => new MergerActor());
}

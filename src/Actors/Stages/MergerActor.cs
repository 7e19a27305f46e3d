using Akka.Actor;
using RecurrentKif.Actors.Pipeline;
using RecurrentKif.Actors.Tensors;
using RecurrentKif.Gpu.Continual;

namespace RecurrentKif.Actors.Stages;

/// <summary>
/// Key-knowledge merging (docs/algorithm.md §3.4): θ ← θ_ref + w_in ⊙ τ_in + w_out ⊙ τ_out, written in place into the
/// learner's live parameters (same process: the handles resolve to them), then releases every tensor of the cycle and
/// tells the learner to go on.
/// </summary>
public sealed class MergerActor : ReceiveActor
{
    public MergerActor()
    {
        var store = TensorStoreExtension.For(Context.System);
        Receive<FusionWeightsReady>(m =>
        {
            var cycle = m.Cycle;
            var theta = store.ResolveAll(cycle.Theta);
            var reference = store.ResolveAll(cycle.Reference);
            var afterInner = store.ResolveAll(cycle.AfterInner);
            var inWeights = store.ResolveAll(m.InWeights);
            var outWeights = store.ResolveAll(m.OutWeights);
            for (int i = 0; i < theta.Count; i++)
                KnowledgeFusion.Apply(theta[i], reference[i], afterInner[i], inWeights[i], outWeights[i]);
            foreach (var handles in new[] { cycle.Theta, cycle.Reference, cycle.AfterInner, m.InWeights, m.OutWeights }) store.ReleaseAll(handles);
            cycle.Learner.Tell(new CycleMerged(cycle.TaskIndex, cycle.Step, m.Shares));
        });
    }

    public static Props Props() => Akka.Actor.Props.Create(() => new MergerActor());
}

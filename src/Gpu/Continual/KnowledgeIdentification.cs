using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Continual;

/// <summary>The key-element masks of the new task (inner) and of the old ones (outer); bool, one per LoRA tensor.</summary>
public sealed record KeyKnowledgeMasks(IReadOnlyList<Tensor> In, IReadOnlyList<Tensor> Out) : IDisposable
{
    public void Dispose()
    {
        foreach (var t in In.Concat(Out)) t.Dispose();
    }
}

/// <summary>
/// Knowledge identification (docs/algorithm.md §3.3), the first of the cycle end's three pure steps: scores in, new mask
/// tensors out, no session state. Both the library loop and the pipeline's importance aggregator call it.
/// Masks are built even with "− KI", whose fusion ignores them, so reports still show what identification found.
/// </summary>
public static class KnowledgeIdentification
{
    /// <summary>Masks of the scalars above the ρ-quantile of each score map; the caller owns them.</summary>
    public static KeyKnowledgeMasks Identify(IReadOnlyList<Tensor> innerScores, IReadOnlyList<Tensor> outerScores, KifSettings kif)
    {
        if (innerScores.Count != outerScores.Count) throw new ArgumentException("identification needs one inner and one outer score per LoRA tensor");
        var inMasks = Masks(innerScores, kif);
        return new KeyKnowledgeMasks(inMasks, Masks(outerScores, kif));
    }

    private static IReadOnlyList<Tensor> Masks(IReadOnlyList<Tensor> scores, KifSettings kif) =>
        QuantileMask.Build(scores, kif.Quantile, kif.GlobalQuantile).Masks;
}

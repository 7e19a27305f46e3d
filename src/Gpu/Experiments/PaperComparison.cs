using RecurrentKif.Gpu.Continual;

namespace RecurrentKif.Gpu.Experiments;

/// <summary>What a variant is set beside in the benchmark table: a label, and the paper's row where one matches.</summary>
public sealed record PaperComparison(string Label, PaperRow? Row)
{
    /// <summary>
    /// Matches each variant to a paper row by its method. SeqLora → SeqLoRA, StaticImportance → TaSL (ours is
    /// TaSL-like, not TaSL), MultiTask → MTL. Of Recurrent-KIF only the plain variant gets the paper's row: the first
    /// one without an ablation, i.e. the first outer mode given, the one the ablations are run with (the base outer
    /// mode when none is listed). Other outer modes and the ablations are labelled as variants with no row, since the
    /// paper's table holds one Recurrent-KIF number. Replay and the compute-matched control have no paper row.
    /// </summary>
    public static IReadOnlyDictionary<string, PaperComparison> Match(string benchmark, IReadOnlyList<ExperimentVariant> variants)
    {
        var plain = variants.FirstOrDefault(v => v is { Method: ContinualMethod.RecurrentKif, Ablation: Ablation.None });
        return variants.DistinctBy(v => v.Name).ToDictionary(v => v.Name, v => v.Method switch
        {
            ContinualMethod.SeqLora => new PaperComparison(PaperResults.SeqLora, PaperResults.Get(benchmark, PaperResults.SeqLora)),
            ContinualMethod.StaticImportance => new PaperComparison(
                "TaSL (paper; ours: static importance, TaSL-like)", PaperResults.Get(benchmark, PaperResults.TaSL)),
            ContinualMethod.MultiTask => new PaperComparison("MTL (upper bound)", PaperResults.Get(benchmark, PaperResults.Mtl)),
            ContinualMethod.RecurrentKif when v == plain => new PaperComparison(PaperResults.RecurrentKif, PaperResults.Get(benchmark, PaperResults.RecurrentKif)),
            ContinualMethod.RecurrentKif => new PaperComparison(
                v.Ablation == Ablation.None ? "Recurrent-KIF variant (outer mode; no paper row)" : "Recurrent-KIF variant (ablation; no paper row)", null),
            ContinualMethod.ComputeMatchedReplay => new PaperComparison("– (our compute-matched control)", null),
            _ => new PaperComparison("–", null),
        });
    }
}

using RecurrentKif.Gpu.Continual;

namespace RecurrentKif.Gpu.Experiments;

/// <summary>The paper's ablations of Recurrent-KIF (docs/algorithm.md §3.8), each one settings change.</summary>
public enum Ablation
{
    /// <summary>The full method.</summary>
    None,
    /// <summary>"− KI": no knowledge identification; τ_in and τ_out are averaged.</summary>
    NoKnowledgeIdentification,
    /// <summary>"+ GM": one merge at the task end instead of one per cycle.</summary>
    GlobalMerge,
    /// <summary>"− DIE": historical importance estimated in the first cycle only.</summary>
    NoDynamicImportance,
    /// <summary>"− Share": scalars key to both sides get no update.</summary>
    NoShare,
    /// <summary>"+ Adaptive": soft weights from the scores instead of the mask table.</summary>
    Adaptive,
}

/// <summary>Names, parsing and the settings change of each <see cref="Ablation"/>.</summary>
public static class Ablations
{
    private static readonly (Ablation Ablation, string Label)[] Labels =
    [
        (Ablation.None, "none"),
        (Ablation.NoKnowledgeIdentification, "−KI"),
        (Ablation.GlobalMerge, "+GM"),
        (Ablation.NoDynamicImportance, "−DIE"),
        (Ablation.NoShare, "−Share"),
        (Ablation.Adaptive, "+Adaptive"),
    ];

    /// <summary>The paper's name, with a typographic minus ("−DIE"); "none" for the full method.</summary>
    public static string Label(this Ablation ablation) => Labels.Single(l => l.Ablation == ablation).Label;

    /// <summary>Reads "none", "-KI", "+GM", "-DIE", "-Share", "+Adaptive" (ASCII or typographic minus, any case).</summary>
    public static Ablation Parse(string text)
    {
        string wanted = text.Trim().Replace('−', '-');
        foreach (var (ablation, label) in Labels)
            if (string.Equals(label.Replace('−', '-'), wanted, StringComparison.OrdinalIgnoreCase)) return ablation;
        throw new ArgumentException($"unknown ablation '{text}' (known: {string.Join(", ", Labels.Select(l => l.Label.Replace('−', '-')))})");
    }

    /// <summary>The Recurrent-KIF settings with this ablation switched on (nothing else changes).</summary>
    public static KifSettings ApplyTo(this Ablation ablation, KifSettings kif) => ablation switch
    {
        Ablation.None => kif,
        Ablation.NoKnowledgeIdentification => kif with { IdentifyKnowledge = false },
        Ablation.GlobalMerge => kif with { GlobalMerge = true },
        Ablation.NoDynamicImportance => kif with { DynamicImportance = false },
        Ablation.NoShare => kif with { UpdateShared = false },
        Ablation.Adaptive => kif with { Fusion = FusionRule.Adaptive },
        _ => throw new ArgumentOutOfRangeException(nameof(ablation), ablation, "unknown ablation"),
    };
}

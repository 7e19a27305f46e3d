using RecurrentKif.Gpu.Continual;

namespace RecurrentKif.Gpu.Experiments;

/// <summary>
/// One column of an experiment: a method, for the methods with an outer learner the outer mode, and for Recurrent-KIF
/// an ablation. Applied on top of the experiment's base settings; the name is how tables and files show it,
/// e.g. "RecurrentKif[SeparateAdamW] −DIE".
/// </summary>
public sealed record ExperimentVariant(ContinualMethod Method, OuterUpdateMode? OuterMode = null, Ablation Ablation = Ablation.None)
{
    public string Name =>
        Method.ToString() + (OuterMode is { } mode ? $"[{mode}]" : "") + (Ablation == Ablation.None ? "" : " " + Ablation.Label());

    /// <summary>The settings of one run of this variant with the given seed.</summary>
    public ContinualSettings Apply(ContinualSettings baseSettings, long seed)
    {
        var kif = OuterMode is { } mode ? baseSettings.Kif with { OuterUpdate = mode } : baseSettings.Kif;
        return baseSettings with
        {
            Method = Method,
            Kif = Ablation.ApplyTo(kif),
            FineTune = baseSettings.FineTune with { Seed = seed },
        };
    }
}

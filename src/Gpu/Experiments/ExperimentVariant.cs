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

    /// <summary>
    /// The variant a <see cref="Name"/> stands for: "Method", "Method[OuterMode]", each optionally followed by a space
    /// and an ablation label. Result files keep only names, and reading them back (to combine runs made by separate
    /// processes into one table) needs the variant, because the paper's rows are matched by method and ablation.
    /// </summary>
    public static ExperimentVariant Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string rest = name.Trim();
        var ablation = Ablation.None;
        int space = rest.IndexOf(' ');
        if (space >= 0)
        {
            ablation = Ablations.Parse(rest[(space + 1)..]);
            rest = rest[..space];
        }
        OuterUpdateMode? mode = null;
        int bracket = rest.IndexOf('[');
        if (bracket >= 0)
        {
            if (!rest.EndsWith(']')) throw new ArgumentException($"variant '{name}': the outer mode's '[' has no closing ']'");
            string modeText = rest[(bracket + 1)..^1];
            mode = Enum.TryParse<OuterUpdateMode>(modeText, ignoreCase: false, out var parsed) && Enum.IsDefined(parsed)
                ? parsed
                : throw new ArgumentException($"variant '{name}': unknown outer mode '{modeText}'");
            rest = rest[..bracket];
        }
        var method = Enum.TryParse<ContinualMethod>(rest, ignoreCase: false, out var m) && Enum.IsDefined(m)
            ? m
            : throw new ArgumentException($"variant '{name}': unknown method '{rest}'");
        var variant = new ExperimentVariant(method, mode, ablation);
        // A name that parses loosely (an ASCII minus, a lower-case ablation, spaces) is not one a result file of ours holds.
        if (variant.Name != name.Trim()) throw new ArgumentException($"variant '{name}' is not a name this build writes (it would be '{variant.Name}')");
        return variant;
    }

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

using System.Globalization;
using RecurrentKif.Gpu.Continual;

namespace RecurrentKif.Gpu.Experiments;

/// <summary>
/// Expands an experiment's lists into its variants: every method once, except that the methods with an outer learner
/// (Recurrent-KIF and its compute-matched control) run once per outer mode; then Recurrent-KIF once per ablation with
/// the first outer mode. Parsing of the comma-separated command-line lists lives here too.
/// </summary>
public static class ExperimentVariants
{
    /// <summary>The methods whose outer (memory) steps depend on the outer mode.</summary>
    public static bool HasOuterLearner(ContinualMethod method) =>
        method is ContinualMethod.RecurrentKif or ContinualMethod.ComputeMatchedReplay;

    public static IReadOnlyList<ExperimentVariant> Build(
        IReadOnlyList<ContinualMethod> methods, IReadOnlyList<OuterUpdateMode> outerModes, IReadOnlyList<Ablation> ablations)
    {
        if (outerModes.Count == 0) throw new ArgumentException("an experiment needs at least one outer mode");
        var variants = new List<ExperimentVariant>();
        foreach (var method in methods.Distinct())
        {
            if (HasOuterLearner(method)) variants.AddRange(outerModes.Distinct().Select(mode => new ExperimentVariant(method, mode)));
            else variants.Add(new ExperimentVariant(method));
        }
        variants.AddRange(ablations.Where(a => a != Ablation.None).Distinct()
            .Select(a => new ExperimentVariant(ContinualMethod.RecurrentKif, outerModes[0], a)));
        if (variants.Count == 0) throw new ArgumentException("the experiment has no variants (no methods and no ablations)");
        return variants;
    }

    /// <summary>"RecurrentKif,SeqLora,…" or "all" (every method).</summary>
    public static IReadOnlyList<ContinualMethod> ParseMethods(string text)
    {
        if (text.Trim().Equals("all", StringComparison.OrdinalIgnoreCase)) return Enum.GetValues<ContinualMethod>();
        return Items(text).Select(m => Enum.TryParse<ContinualMethod>(m, ignoreCase: true, out var method) && Enum.IsDefined(method)
                ? method
                : throw new ArgumentException($"unknown method '{m}' (known: {string.Join(", ", Enum.GetNames<ContinualMethod>())}, all)"))
            .ToList();
    }

    public static IReadOnlyList<OuterUpdateMode> ParseOuterModes(string text) =>
        Items(text).Select(m => Enum.TryParse<OuterUpdateMode>(m, ignoreCase: true, out var mode) && Enum.IsDefined(mode)
                ? mode
                : throw new ArgumentException($"unknown outer mode '{m}' (known: {string.Join(", ", Enum.GetNames<OuterUpdateMode>())})"))
            .ToList();

    public static IReadOnlyList<Ablation> ParseAblations(string text) => Items(text).Select(Ablations.Parse).ToList();

    /// <summary>"1,2,3": distinct integer seeds, in the order given.</summary>
    public static IReadOnlyList<long> ParseSeeds(string text)
    {
        var seeds = Items(text).Select(s => long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out long seed)
            ? seed
            : throw new ArgumentException($"seed '{s}' is not an integer")).ToList();
        if (seeds.Count == 0) throw new ArgumentException("--seeds lists no seed");
        if (seeds.Distinct().Count() != seeds.Count) throw new ArgumentException($"--seeds repeats a seed ({text}): a repeat would count one run twice");
        return seeds;
    }

    private static IEnumerable<string> Items(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

namespace RecurrentKif.Gpu.Merging;

/// <summary>The registry of adapter-combination methods by name, as mergekit's merge_method names them (docs/merging.md).</summary>
public static class DeltaCombinations
{
    private static readonly IReadOnlyDictionary<string, IDeltaCombination> ByName =
        new IDeltaCombination[] { new LinearCombination(), new TiesCombination(), new DareCombination(signConsensus: false), new DareCombination(signConsensus: true) }
            .ToDictionary(c => c.Name, StringComparer.Ordinal);

    public static IReadOnlyCollection<string> Names => ByName.Keys.ToList();

    public static IDeltaCombination Get(string name) => ByName.TryGetValue(name, out var method)
        ? method
        : throw new ArgumentException($"unknown combination method '{name}'; known: {string.Join(", ", Names)}");
}

namespace RecurrentKif.Gpu.Merging;

/// <summary>
/// <c>rkif merge</c> for PEFT adapter folders (docs/merging.md): each folder's deltas against the base, combined
/// by the named method when there are several, folded into the base and written as a plain model folder.
/// </summary>
public static class AdapterMerge
{
    public static void FromPeftFolders(string baseFolder, IReadOnlyList<string> adapterFolders, string method, DeltaCombinationOptions options, string outFolder)
    {
        if (adapterFolders.Count == 0) throw new ArgumentException("give at least one adapter folder");
        var combination = DeltaCombinations.Get(method);
        var perAdapter = new List<IReadOnlyList<ModuleDelta>>();
        try
        {
            foreach (string folder in adapterFolders) perAdapter.Add(LoraDeltas.FromPeftFolder(baseFolder, folder));
            Write(baseFolder, perAdapter, combination, options, outFolder);
        }
        finally
        {
            foreach (var delta in perAdapter.SelectMany(a => a)) delta.Delta.Dispose();
        }
    }

    /// <summary>
    /// Combines the adapters' deltas and folds the result into the base. One adapter with the default "linear"
    /// (weight 1, normalised) goes in exactly as it is: 0 + 1 · δ, divided by 1.
    /// </summary>
    public static void Write(string baseFolder, IReadOnlyList<IReadOnlyList<ModuleDelta>> perAdapter, IDeltaCombination combination,
        DeltaCombinationOptions options, string outFolder)
    {
        var combined = AdapterCombiner.Combine(perAdapter, combination, options);
        try
        {
            MergedModelWriter.Write(baseFolder, combined, outFolder);
        }
        finally
        {
            foreach (var delta in combined) delta.Delta.Dispose();
        }
    }
}

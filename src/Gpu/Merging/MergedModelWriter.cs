using RecurrentKif.Gpu.Models;
using RecurrentKif.Gpu.Pretraining;
using Serilog;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Merging;

/// <summary>
/// Writes base + deltas as a plain Hugging Face folder (docs/merging.md): every base tensor under its own name and in
/// its stored dtype, the adapted linear weights replaced by W + ΔW (added in fp32, then stored as the base stores
/// W), config.json and the tokenizer files copied unchanged. The folder therefore loads as the base family with no
/// adapter code (transformers, vLLM, llama.cpp's converter, or RecurrentKif itself). Tensors are read, merged and
/// written one at a time, so memory holds one tensor, not the model.
/// </summary>
public static class MergedModelWriter
{
    public const string WeightsFile = "model.safetensors";

    /// <summary>
    /// Files of a model folder that are not weights and stay valid for the merged model: its config and every
    /// tokenizer format RecurrentKif or transformers reads. Anything else (provenance notes, pickled .bin weights
    /// of the unmerged base, model cards) is left behind on purpose.
    /// </summary>
    public static IReadOnlyList<string> CopiedFiles { get; } =
    [
        "config.json", "generation_config.json",
        "tokenizer.json", "tokenizer.model", "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json",
        "spiece.model", "tokenizer.bin", "vocab.json", "merges.txt", "chat_template.jinja", "chat_template.json",
    ];

    public static void Write(string baseFolder, IReadOnlyList<ModuleDelta> deltas, string outFolder)
    {
        string family = ModelLoader.FamilyOf(baseFolder);
        var weights = SafeTensorsFolderWeights.Open(baseFolder);
        var names = weights.Names.ToHashSet(StringComparer.Ordinal);
        var deltaOf = new Dictionary<string, ModuleDelta>(StringComparer.Ordinal);
        foreach (var delta in deltas)
        {
            if (!names.Contains(delta.WeightName))
                throw new ModelLoadException(
                    $"{weights.Description}: the adapter changes '{delta.WeightName}', which the base does not store " +
                    "(a tied output head, or an adapter for another model)");
            var stored = weights.InfoOf(delta.WeightName);
            if (!stored.Shape.SequenceEqual(delta.Delta.shape))
                throw new ModelLoadException(
                    $"{weights.Description}: '{delta.WeightName}' is [{string.Join(",", stored.Shape)}], the adapter's delta [{string.Join(",", delta.Delta.shape)}]");
            if (!deltaOf.TryAdd(delta.WeightName, delta)) throw new ArgumentException($"two deltas for {delta.ModulePath}");
        }
        if (Directory.Exists(outFolder) && Directory.EnumerateFileSystemEntries(outFolder).Any())
            throw new ArgumentException($"{outFolder} exists and is not empty; choose a new folder for the merged model");

        var entries = names.Select(n =>
        {
            var info = weights.InfoOf(n);
            return new SafeTensorEntry(n, SafeTensorsFile.ScalarTypeOf(info, weights.Description), info.Shape);
        }).ToList();

        StagedModelFolder.Write(outFolder, staging =>
        {
            SafeTensorsFile.SaveStreamed(Path.Combine(staging, WeightsFile), entries, entry => Merged(weights, entry, deltaOf),
                new Dictionary<string, string> { ["format"] = "pt" });
            foreach (string file in CopiedFiles.Where(f => File.Exists(Path.Combine(baseFolder, f))))
                File.Copy(Path.Combine(baseFolder, file), Path.Combine(staging, file));
        });
        Log.Information("Merged {Layers} adapted layers into the {Family} base {Base}: {Out}", deltaOf.Count, family, baseFolder, Path.GetFullPath(outFolder));
    }

    private static Tensor Merged(SafeTensorsFolderWeights weights, SafeTensorEntry entry, IReadOnlyDictionary<string, ModuleDelta> deltaOf)
    {
        if (!deltaOf.TryGetValue(entry.Name, out var delta)) return weights.Load(entry.Name, entry.DType);
        using var scope = NewDisposeScope();
        var merged = weights.Load(entry.Name, ScalarType.Float32).add_(delta.Delta);
        return merged.to(entry.DType).MoveToOuterDisposeScope();
    }
}

using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Models.T5;

/// <summary>Builds a <see cref="T5ForConditionalGeneration"/> from a Hugging Face folder or any weight source.</summary>
public static class T5Loader
{
    // HF ties these to shared.weight and, since safetensors cannot hold aliases, saves only shared.weight;
    // older exports carry them as copies. Either way the model reads shared.weight.
    private static readonly string[] TiedEmbeddingCopies = ["encoder.embed_tokens.weight", "decoder.embed_tokens.weight"];

    public static T5ForConditionalGeneration LoadFolder(string folder, ScalarType weightDtype, Device device)
    {
        var (json, configPath) = HfConfigFile.ReadFolder(folder);
        var config = T5Config.FromJson(json, configPath);
        var weights = SafeTensorsFolderWeights.Open(folder);
        return FromWeights(config, weights, weightDtype, device);
    }

    /// <summary>All base weights come back frozen and the model in eval mode.</summary>
    public static T5ForConditionalGeneration FromWeights(T5Config config, IWeightSource weights, ScalarType weightDtype, Device device)
    {
        var model = new T5ForConditionalGeneration(config, weightDtype, device);
        try
        {
            var expected = model.named_parameters().ToList();
            var available = weights.Names.ToHashSet(StringComparer.Ordinal);
            string SourceOf(string name) =>
                name == "shared.weight" && !available.Contains(name) ? TiedEmbeddingCopies.FirstOrDefault(available.Contains) ?? name : name;
            var missing = expected.Select(p => p.name).Where(n => !available.Contains(SourceOf(n))).ToList();
            if (missing.Count > 0)
                throw new ModelLoadException(
                    $"{weights.Description}: {missing.Count} tensors the T5 config needs are missing, e.g. {string.Join(", ", missing.Take(5))}");
            var used = expected.Select(p => SourceOf(p.name)).ToHashSet(StringComparer.Ordinal);
            var unexpected = available.Where(n => !used.Contains(n) && !IsIgnorable(n, config)).ToList();
            if (unexpected.Count > 0)
                throw new ModelLoadException(
                    $"{weights.Description}: {unexpected.Count} tensors do not belong to a T5 with {config.NumLayers}+{config.NumDecoderLayers} blocks " +
                    $"and a {config.FeedForwardProj} feed-forward, e.g. {string.Join(", ", unexpected.Take(5))}");

            ParameterLoading.CopyInto(expected, weights, weightDtype, SourceOf);
            model.FreezeBaseWeights();
            model.eval();
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    // Tied models may still carry lm_head.weight (a copy of shared.weight), and any export the embed_tokens copies.
    private static bool IsIgnorable(string name, T5Config config) =>
        TiedEmbeddingCopies.Contains(name) || (config.TieWordEmbeddings && name == "lm_head.weight");

    /// <summary>Writes a model as a HF folder (config.json + model.safetensors with HF's names, LoRA left out).</summary>
    public static void SaveFolder(T5ForConditionalGeneration model, string folder)
    {
        Directory.CreateDirectory(folder);
        model.Config.Save(Path.Combine(folder, "config.json"));
        var baseWeights = model.named_parameters()
            .Where(p => !p.name.Contains(".lora_", StringComparison.Ordinal))
            .Select(p => new KeyValuePair<string, Tensor>(p.name, p.parameter));
        SafeTensorsFile.Save(Path.Combine(folder, "model.safetensors"), baseWeights, new Dictionary<string, string> { ["format"] = "pt" });
    }
}

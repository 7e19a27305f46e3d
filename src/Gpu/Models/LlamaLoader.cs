using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Models;

/// <summary>Builds a <see cref="LlamaForCausalLM"/> from a Hugging Face folder or any weight source.</summary>
public static class LlamaLoader
{
    /// <summary>
    /// Loads config.json + model.safetensors (or sharded safetensors with model.safetensors.index.json).
    /// F32/F16/BF16 tensors are converted to <paramref name="weightDtype"/>; all base weights come back frozen.
    /// </summary>
    public static LlamaForCausalLM LoadFolder(string folder, ScalarType weightDtype, Device device)
    {
        var (json, configPath) = HfConfigFile.ReadFolder(folder);
        var config = LlamaConfig.FromJson(json, configPath);
        var weights = SafeTensorsFolderWeights.Open(folder);
        return FromWeights(config, weights, weightDtype, device);
    }

    public static LlamaForCausalLM FromWeights(LlamaConfig config, IWeightSource weights, ScalarType weightDtype, Device device)
    {
        var model = new LlamaForCausalLM(config, weightDtype, device);
        try
        {
            var expected = model.named_parameters().ToList();
            var available = weights.Names.ToHashSet(StringComparer.Ordinal);
            var missing = expected.Select(p => p.name).Where(n => !available.Contains(n)).ToList();
            if (missing.Count > 0)
                throw new ModelLoadException(
                    $"{weights.Description}: {missing.Count} tensors the config needs are missing, e.g. {string.Join(", ", missing.Take(5))}");
            var unexpected = available.Except(expected.Select(p => p.name)).Where(n => !IsIgnorable(n, config)).ToList();
            if (unexpected.Count > 0)
                throw new ModelLoadException(
                    $"{weights.Description}: {unexpected.Count} tensors do not belong to a {config.NumHiddenLayers}-layer LLaMA, e.g. {string.Join(", ", unexpected.Take(5))}");

            ParameterLoading.CopyInto(expected, weights, weightDtype, name => name);
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

    // Old HF exports store the rotary inverse frequencies; tied models may still carry a copy of lm_head.
    private static bool IsIgnorable(string name, LlamaConfig config) =>
        name.EndsWith(".rotary_emb.inv_freq", StringComparison.Ordinal) ||
        (config.TieWordEmbeddings && name == "lm_head.weight");

    /// <summary>Writes a model as a HF folder (config.json + model.safetensors).</summary>
    public static void SaveFolder(LlamaForCausalLM model, string folder)
    {
        Directory.CreateDirectory(folder);
        model.Config.Save(Path.Combine(folder, "config.json"));
        var baseWeights = model.named_parameters()
            .Where(p => !p.name.Contains(".lora_", StringComparison.Ordinal))
            .Select(p => new KeyValuePair<string, Tensor>(p.name, p.parameter));
        SafeTensorsFile.Save(Path.Combine(folder, "model.safetensors"), baseWeights, new Dictionary<string, string> { ["format"] = "pt" });
    }
}

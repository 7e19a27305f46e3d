using System.Text.Json.Nodes;
using RecurrentKif.Gpu.Models.T5;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Models;

/// <summary>
/// The one entry point that turns a Hugging Face model folder into a backbone: the family comes from config.json
/// (model_type, or the architectures list), then the family's loader reads the weights.
/// </summary>
public static class ModelLoader
{
    private static readonly string[] LlamaTypes = ["llama", "mistral", "qwen2"];

    public static ILanguageModel LoadFolder(string folder, ScalarType weightDtype, Device device) => FamilyOf(folder) switch
    {
        "t5" => T5Loader.LoadFolder(folder, weightDtype, device),
        _ => LlamaLoader.LoadFolder(folder, weightDtype, device),
    };

    /// <summary>
    /// The folder's module tree without its weights (bf16 tensors left uninitialised, nothing read from the
    /// safetensors): enough to match an adapter's target modules and shapes to the model's layers, as merging
    /// does, at the cost of allocating address space the operating system only backs once written.
    /// </summary>
    public static ILanguageModel CreateUnloaded(string folder)
    {
        var (json, configPath) = HfConfigFile.ReadFolder(folder);
        return FamilyOf(folder) switch
        {
            "t5" => new T5ForConditionalGeneration(T5Config.FromJson(json, configPath), ScalarType.BFloat16, CPU),
            _ => new LlamaForCausalLM(LlamaConfig.FromJson(json, configPath), ScalarType.BFloat16, CPU),
        };
    }

    /// <summary>"t5" or "llama"; a ModelLoadException names the folder and what its config says otherwise.</summary>
    public static string FamilyOf(string folder)
    {
        var (json, configPath) = HfConfigFile.ReadFolder(folder);
        if (T5Config.Describes(json)) return "t5";
        string modelType = json["model_type"] is JsonValue v && v.TryGetValue(out string? s) ? s : "";
        if (LlamaTypes.Contains(modelType)) return "llama";
        string architectures = json["architectures"] is JsonArray a ? string.Join(", ", a.Select(x => x?.ToString())) : "none";
        throw new ModelLoadException(
            $"{configPath}: model_type '{modelType}' (architectures: {architectures}) is not a supported family; " +
            $"supported: LLaMA-family decoders ({string.Join(", ", LlamaTypes)}) and T5 encoder-decoders (t5, T5ForConditionalGeneration)");
    }
}

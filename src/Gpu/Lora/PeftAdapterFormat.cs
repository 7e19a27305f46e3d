using System.Text.Json;
using System.Text.Json.Nodes;
using RecurrentKif.Gpu.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Lora;

/// <summary>
/// Saves and loads adapters in the Hugging Face PEFT layout, so a Python user can
/// <c>PeftModel.from_pretrained(base, folder)</c>: adapter_model.safetensors with keys
/// "base_model.model.&lt;module&gt;.lora_A.weight" / ".lora_B.weight", and adapter_config.json.
/// </summary>
public static class PeftAdapterFormat
{
    public const string WeightsFile = "adapter_model.safetensors";
    public const string ConfigFile = "adapter_config.json";
    private const string KeyPrefix = "base_model.model.";

    /// <param name="taskType">PEFT's task_type: CAUSAL_LM for decoder-only models, SEQ_2_SEQ_LM for T5.</param>
    public static void Save(LoraAdapter adapter, string folder, string? baseModelPath = null, string taskType = "CAUSAL_LM")
    {
        Directory.CreateDirectory(folder);
        var tensors = adapter.Pairs.SelectMany(p => new[]
        {
            new KeyValuePair<string, Tensor>($"{KeyPrefix}{p.ModulePath}.lora_A.weight", p.A),
            new KeyValuePair<string, Tensor>($"{KeyPrefix}{p.ModulePath}.lora_B.weight", p.B),
        });
        // Write to temporary names and rename, so a crash never leaves a half-written adapter under the real names.
        string weightsTemp = Path.Combine(folder, WeightsFile + ".tmp");
        string configTemp = Path.Combine(folder, ConfigFile + ".tmp");
        SafeTensorsFile.Save(weightsTemp, tensors, new Dictionary<string, string> { ["format"] = "pt" });
        File.WriteAllText(configTemp, ConfigJson(adapter.Settings, baseModelPath, taskType).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.Move(weightsTemp, Path.Combine(folder, WeightsFile), overwrite: true);
        File.Move(configTemp, Path.Combine(folder, ConfigFile), overwrite: true);
    }

    /// <summary>
    /// Reads the LoRA settings an adapter folder was trained with. Options RecurrentKif cannot honour are refused
    /// (<see cref="PeftAdapterConfig"/>).
    /// </summary>
    public static LoraSettings ReadSettings(string folder) => PeftAdapterConfig.Read(ExistingConfigPath(folder));

    /// <summary>The base_model_name_or_path an adapter folder's config names, or null.</summary>
    public static string? ReadBaseModelPath(string folder) =>
        HfConfigFile.Read(ExistingConfigPath(folder))["base_model_name_or_path"] is JsonValue v && v.TryGetValue(out string? name) ? name : null;

    private static string ExistingConfigPath(string folder)
    {
        string path = Path.Combine(folder, ConfigFile);
        return File.Exists(path) ? path : throw new ModelLoadException($"{folder} is not a PEFT adapter folder: {ConfigFile} is missing");
    }

    /// <summary>Attaches an adapter with the folder's settings to <paramref name="model"/> and loads its weights.</summary>
    public static LoraAdapter Load(nn.Module model, string folder)
    {
        var settings = ReadSettings(folder);
        var adapter = LoraAdapter.Attach(model, settings);
        LoadInto(adapter, folder);
        return adapter;
    }

    /// <summary>Loads adapter weights into an adapter already attached with matching settings.</summary>
    public static void LoadInto(LoraAdapter adapter, string folder)
    {
        var file = SafeTensorsFile.Open(Path.Combine(folder, WeightsFile));
        var expected = adapter.Pairs.SelectMany(p => new[]
        {
            ($"{KeyPrefix}{p.ModulePath}.lora_A.weight", p.A),
            ($"{KeyPrefix}{p.ModulePath}.lora_B.weight", p.B),
        }).ToList();
        // Some PEFT versions keep the adapter name in the key ("lora_A.default.weight"); accept both.
        string Resolve(string key) => file.Tensors.ContainsKey(key) ? key : key.Replace(".weight", ".default.weight", StringComparison.Ordinal);
        var missing = expected.Where(e => !file.Tensors.ContainsKey(Resolve(e.Item1))).Select(e => e.Item1).ToList();
        if (missing.Count > 0)
            throw new ModelLoadException($"{file.Path}: adapter lacks {missing.Count} tensors the model needs, e.g. {string.Join(", ", missing.Take(3))}");
        if (file.Tensors.Count != expected.Count)
            throw new ModelLoadException($"{file.Path}: adapter has {file.Tensors.Count} tensors, the model's LoRA targets need {expected.Count}");
        using var _ = no_grad();
        foreach (var (key, parameter) in expected)
        {
            using var loaded = file.Load(Resolve(key), ScalarType.Float32);
            if (!loaded.shape.SequenceEqual(parameter.shape))
                throw new ModelLoadException($"{file.Path}: '{key}' has shape [{string.Join(",", loaded.shape)}], expected [{string.Join(",", parameter.shape)}]");
            parameter.copy_(loaded);
        }
    }

    private static JsonObject ConfigJson(LoraSettings settings, string? baseModelPath, string taskType) => new()
    {
        ["peft_type"] = "LORA",
        ["task_type"] = taskType,
        ["base_model_name_or_path"] = baseModelPath,
        ["r"] = settings.Rank,
        ["lora_alpha"] = settings.Alpha,
        ["lora_dropout"] = settings.Dropout,
        // PEFT reads a string as a full-match pattern (or "all-linear") and a list as names, as LoraTargets does.
        ["target_modules"] = settings.TargetPattern is { } pattern
            ? (JsonNode?)JsonValue.Create(pattern)
            : new JsonArray(settings.TargetModules.Select(t => (JsonNode)JsonValue.Create(t)!).ToArray()),
        ["bias"] = "none",
        ["fan_in_fan_out"] = false,
        ["inference_mode"] = true,
        ["init_lora_weights"] = true,
        ["modules_to_save"] = null,
        ["use_rslora"] = false,
        ["use_dora"] = false,
    };
}

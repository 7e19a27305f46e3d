using System.Text.Json;
using System.Text.Json.Nodes;
using RecurrentKif.Gpu.Models;
using Serilog;

namespace RecurrentKif.Gpu.Lora;

/// <summary>
/// Reads a PEFT adapter_config.json strictly (docs/merging.md §3). RecurrentKif's
/// LoRA is y = W x + (α / r) · B A x on whole linear layers with one rank and one α for all of them. Every option
/// that would make PEFT compute something else (another scale, DoRA, per-layer ranks, some layers only, extra
/// trained modules, biases, a modified base) is refused with the file and the option named, rather than loaded
/// into a model that then silently computes the wrong function.
/// </summary>
public static class PeftAdapterConfig
{
    // Options that cannot change what a loaded adapter computes: bookkeeping, or only how training started.
    private static readonly HashSet<string> Harmless = new(StringComparer.Ordinal)
    {
        "peft_type", "task_type", "base_model_name_or_path", "revision", "inference_mode", "auto_mapping",
        "peft_version", "runtime_config", "lora_dropout", "eva_config", "fan_in_fan_out", "init_lora_weights",
        "r", "lora_alpha", "target_modules",
    };

    // PEFT task types whose keys name the language model's own modules; the others add heads (saved as
    // modules_to_save) or wrap the bare decoder, whose module paths differ.
    private static readonly string[] BackboneTaskTypes = ["CAUSAL_LM", "SEQ_2_SEQ_LM"];

    // init_lora_weights values that rewrite the base weights when the adapter is created, so the adapter only
    // works on top of that rewritten base, which the folder does not carry.
    private static readonly string[] BaseRewritingInits = ["pissa", "olora", "loftq", "corda"];

    public static LoraSettings Read(string path)
    {
        JsonObject json;
        try { json = JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? throw new JsonException("the file holds null"); }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new ModelLoadException($"{path}: not a valid adapter config ({e.Message})");
        }
        try
        {
            string type = json["peft_type"] is JsonValue t && t.TryGetValue(out string? s) ? s : "";
            if (!string.Equals(type, "LORA", StringComparison.OrdinalIgnoreCase))
                throw new ModelLoadException($"{path}: peft_type is '{type}', only LORA adapters are supported");
            RefuseWhatIsNotHonoured(path, json);
            var (targets, pattern) = ReadTargets(path, json["target_modules"]);
            var settings = new LoraSettings
            {
                Rank = json["r"]?.GetValue<int>() ?? throw new ModelLoadException($"{path}: r is missing"),
                Alpha = json["lora_alpha"]?.GetValue<double>() ?? throw new ModelLoadException($"{path}: lora_alpha is missing"),
                Dropout = json["lora_dropout"]?.GetValue<double>() ?? 0.0,
                TargetModules = targets,
                TargetPattern = pattern,
            };
            settings.Validate();
            return settings;
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException)
        {
            throw new ModelLoadException($"{path}: not a valid adapter config ({e.Message})");
        }
    }

    private static void RefuseWhatIsNotHonoured(string path, JsonObject json)
    {
        void Refuse(string option, string why) =>
            throw new ModelLoadException($"{path}: option '{option}' = {json[option]?.ToJsonString() ?? "null"} is not supported: {why}");

        if (IsTrue(json["use_rslora"]))
            Refuse("use_rslora", "rank-stabilised LoRA scales by α/√r, RecurrentKif's LoRA by α/r; retrain without it");
        if (IsTrue(json["use_dora"]))
            Refuse("use_dora", "DoRA adds a magnitude vector per layer, which RecurrentKif's LoRA does not have");
        if (IsSet(json["rank_pattern"]))
            Refuse("rank_pattern", "every adapted layer must have the same rank r");
        if (IsSet(json["alpha_pattern"]))
            Refuse("alpha_pattern", "every adapted layer must have the same lora_alpha");
        if (IsSet(json["layers_to_transform"]))
            Refuse("layers_to_transform", "an adapter on some layers only cannot be loaded; target_modules must name the layers");
        if (IsSet(json["layers_pattern"]))
            Refuse("layers_pattern", "it only narrows layers_to_transform, which is not supported");
        if (IsSet(json["modules_to_save"]))
            Refuse("modules_to_save", "fully trained extra modules (heads, embeddings) are not loaded, so the model would lack them");
        if (json["bias"] is JsonNode bias && bias.ToJsonString() != "\"none\"")
            Refuse("bias", "only bias = \"none\" is supported; trained biases are not loaded");
        if (IsTrue(json["lora_bias"]))
            Refuse("lora_bias", "LoRA's B has no bias in RecurrentKif");
        if (IsSet(json["exclude_modules"]))
            Refuse("exclude_modules", "excluded modules are not honoured; write the targets as a list or a pattern instead");
        if (IsSet(json["layer_replication"]))
            Refuse("layer_replication", "the adapter belongs to a model with replicated layers, not to the base");
        if (IsSet(json["trainable_token_indices"]))
            Refuse("trainable_token_indices", "trained embedding rows are not loaded");
        if (IsSet(json["target_parameters"]))
            Refuse("target_parameters", "LoRA on bare parameters (not linear layers) is not supported");
        if (IsSet(json["alora_invocation_tokens"]))
            Refuse("alora_invocation_tokens", "activated LoRA switches on mid-sequence, RecurrentKif's LoRA is always on");
        if (IsTrue(json["use_qalora"]))
            Refuse("use_qalora", "QA-LoRA pools the input of A, RecurrentKif's LoRA does not");
        if (IsSet(json["megatron_config"]))
            Refuse("megatron_config", "Megatron-parallel layers are not supported");
        if (IsSet(json["loftq_config"]))
            Refuse("loftq_config", "LoftQ rewrites the base weights, which the adapter folder does not carry");
        if (json["task_type"] is JsonValue task && task.TryGetValue(out string? taskType) && !BackboneTaskTypes.Contains(taskType))
            Refuse("task_type", $"only adapters of the plain backbone ({string.Join(", ", BackboneTaskTypes)}) are supported; this type adds a head");
        if (json["init_lora_weights"] is JsonValue init && init.TryGetValue(out string? initName)
            && BaseRewritingInits.Any(i => initName.StartsWith(i, StringComparison.OrdinalIgnoreCase)))
            Refuse("init_lora_weights", "this initialisation rewrites the base weights, so the adapter is only right on a base the folder does not carry");
        if (IsTrue(json["fan_in_fan_out"]))
            // PEFT itself resets fan_in_fan_out to false on torch.nn.Linear layers, and every RecurrentKif layer is one.
            Log.Warning("{Path}: fan_in_fan_out = true applies to Conv1D layers only; PEFT ignores it on linear layers, and so does RecurrentKif", path);

        // An option this reader does not know may be a newer PEFT feature that changes the computation. Left at its
        // off value (null, false, empty) it cannot; set, it is refused rather than guessed at.
        foreach (var (option, value) in json)
        {
            if (Harmless.Contains(option) || IsKnownChecked(option) || !IsSet(value)) continue;
            Refuse(option, "RecurrentKif does not know this option, so it cannot honour it");
        }
    }

    private static bool IsKnownChecked(string option) => option is "use_rslora" or "use_dora" or "rank_pattern" or "alpha_pattern"
        or "layers_to_transform" or "layers_pattern" or "modules_to_save" or "bias" or "lora_bias" or "exclude_modules"
        or "layer_replication" or "trainable_token_indices" or "target_parameters" or "alora_invocation_tokens"
        or "use_qalora" or "megatron_config" or "megatron_core" or "loftq_config" or "qalora_group_size" or "corda_config";

    /// <summary>A list of names, or a pattern (PEFT's string form: full-match regex or "all-linear").</summary>
    private static (IReadOnlyList<string> Names, string? Pattern) ReadTargets(string path, JsonNode? node) => node switch
    {
        JsonArray array when array.Count > 0 => (array.Select(t => t!.GetValue<string>()).ToList(), null),
        JsonValue single when single.TryGetValue(out string? pattern) && pattern.Length > 0 => ([], pattern),
        null => throw new ModelLoadException($"{path}: target_modules is missing"),
        _ => throw new ModelLoadException($"{path}: target_modules must be a non-empty list of names or a pattern string, found {node.ToJsonString()}"),
    };

    private static bool IsTrue(JsonNode? node) => node is JsonValue v && v.TryGetValue(out bool b) && b;

    /// <summary>True unless the option is absent, null, false, an empty string, an empty list or an empty object.</summary>
    private static bool IsSet(JsonNode? node) => node switch
    {
        null => false,
        JsonArray a => a.Count > 0,
        JsonObject o => o.Count > 0,
        JsonValue v when v.TryGetValue(out bool b) => b,
        JsonValue v when v.TryGetValue(out string? s) => s.Length > 0,
        _ => true,
    };
}

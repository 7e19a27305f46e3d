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
    // megatron_core, qalora_group_size and corda_config only take effect together with a refused option
    // (megatron_config, use_qalora, init_lora_weights = "corda"), and PEFT writes the first two with a value always.
    private static readonly HashSet<string> Harmless = new(StringComparer.Ordinal)
    {
        "peft_type", "task_type", "base_model_name_or_path", "revision", "inference_mode", "auto_mapping",
        "peft_version", "runtime_config", "lora_dropout", "eva_config", "fan_in_fan_out", "init_lora_weights",
        "r", "lora_alpha", "target_modules", "megatron_core", "qalora_group_size", "corda_config",
    };

    // PEFT task types whose keys name the language model's own modules; the others add heads (saved as
    // modules_to_save) or wrap the bare decoder, whose module paths differ.
    private static readonly string[] BackboneTaskTypes = ["CAUSAL_LM", "SEQ_2_SEQ_LM"];

    // init_lora_weights values that rewrite the base weights when the adapter is created, so the adapter only
    // works on top of that rewritten base, which the folder does not carry.
    private static readonly string[] BaseRewritingInits = ["pissa", "olora", "loftq", "corda"];

    /// <summary>An option RecurrentKif refuses when <see cref="Refuses"/> holds for its value, and why.</summary>
    private sealed record Refusal(string Option, Func<JsonNode?, bool> Refuses, string Why);

    // Checked in this order; the first that applies is reported. Options not listed here or in Harmless are refused
    // whenever set (RefuseWhatIsNotHonoured).
    private static readonly Refusal[] Refusals =
    [
        new("use_rslora", IsTrue, "rank-stabilised LoRA scales by α/√r, RecurrentKif's LoRA by α/r; retrain without it"),
        new("use_dora", IsTrue, "DoRA adds a magnitude vector per layer, which RecurrentKif's LoRA does not have"),
        new("rank_pattern", IsSet, "every adapted layer must have the same rank r"),
        new("alpha_pattern", IsSet, "every adapted layer must have the same lora_alpha"),
        new("layers_to_transform", IsSet, "an adapter on some layers only cannot be loaded; target_modules must name the layers"),
        new("layers_pattern", IsSet, "it only narrows layers_to_transform, which is not supported"),
        new("modules_to_save", IsSet, "fully trained extra modules (heads, embeddings) are not loaded, so the model would lack them"),
        new("bias", bias => bias is not null && bias.ToJsonString() != "\"none\"", "only bias = \"none\" is supported; trained biases are not loaded"),
        new("lora_bias", IsTrue, "LoRA's B has no bias in RecurrentKif"),
        new("exclude_modules", IsSet, "excluded modules are not honoured; write the targets as a list or a pattern instead"),
        new("layer_replication", IsSet, "the adapter belongs to a model with replicated layers, not to the base"),
        new("trainable_token_indices", IsSet, "trained embedding rows are not loaded"),
        new("target_parameters", IsSet, "LoRA on bare parameters (not linear layers) is not supported"),
        new("alora_invocation_tokens", IsSet, "activated LoRA switches on mid-sequence, RecurrentKif's LoRA is always on"),
        new("use_qalora", IsTrue, "QA-LoRA pools the input of A, RecurrentKif's LoRA does not"),
        new("megatron_config", IsSet, "Megatron-parallel layers are not supported"),
        new("loftq_config", IsSet, "LoftQ rewrites the base weights, which the adapter folder does not carry"),
        new("task_type", task => task is JsonValue v && v.TryGetValue(out string? type) && !BackboneTaskTypes.Contains(type),
            $"only adapters of the plain backbone ({string.Join(", ", BackboneTaskTypes)}) are supported; this type adds a head"),
        new("init_lora_weights", init => init is JsonValue v && v.TryGetValue(out string? name)
                && BaseRewritingInits.Any(i => name.StartsWith(i, StringComparison.OrdinalIgnoreCase)),
            "this initialisation rewrites the base weights, so the adapter is only right on a base the folder does not carry"),
    ];

    public static LoraSettings Read(string path)
    {
        JsonObject json = HfConfigFile.Read(path);
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

        foreach (var refusal in Refusals)
            if (refusal.Refuses(json[refusal.Option])) Refuse(refusal.Option, refusal.Why);
        if (IsTrue(json["fan_in_fan_out"]))
            // PEFT itself resets fan_in_fan_out to false on torch.nn.Linear layers, and every RecurrentKif layer is one.
            Log.Warning("{Path}: fan_in_fan_out = true applies to Conv1D layers only; PEFT ignores it on linear layers, and so does RecurrentKif", path);

        // An option this reader does not know may be a newer PEFT feature that changes the computation. Left at its
        // off value (null, false, empty) it cannot; set, it is refused rather than guessed at.
        foreach (var (option, value) in json)
        {
            if (Harmless.Contains(option) || Refusals.Any(r => r.Option == option) || !IsSet(value)) continue;
            Refuse(option, "RecurrentKif does not know this option, so it cannot honour it");
        }
    }

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

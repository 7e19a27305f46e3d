using System.Text.Json;
using System.Text.Json.Nodes;

namespace RecurrentKif.Gpu.Models;

/// <summary>
/// The architecture of a LLaMA-family decoder, read from (and written as) a Hugging Face config.json.
/// Field names follow the HF keys so a config round-trips.
/// </summary>
public sealed record LlamaConfig
{
    /// <summary>config.json's model_type: "llama", "mistral" or "qwen2" (the same decoder but for the biases below).</summary>
    public string ModelType { get; init; } = "llama";
    public int VocabSize { get; init; }
    public int HiddenSize { get; init; }
    public int IntermediateSize { get; init; }
    public int NumHiddenLayers { get; init; }
    public int NumAttentionHeads { get; init; }
    public int NumKeyValueHeads { get; init; }
    public int HeadDim { get; init; }
    public int MaxPositionEmbeddings { get; init; } = 2048;
    public double RmsNormEps { get; init; } = 1e-6;
    public double RopeTheta { get; init; } = 10000.0;
    public RopeScaling? RopeScaling { get; init; }
    public bool TieWordEmbeddings { get; init; }
    /// <summary>Biases on q_proj, k_proj and v_proj (and on o_proj too, except for Qwen2; see <see cref="OutputProjectionBias"/>).</summary>
    public bool AttentionBias { get; init; }
    public bool MlpBias { get; init; }
    public int BosTokenId { get; init; } = 1;
    public int EosTokenId { get; init; } = 2;
    public string TorchDtype { get; init; } = "float32";

    /// <summary>
    /// LLaMA's attention_bias puts a bias on all four projections; Qwen2's attention has biases on q, k and v only,
    /// its o_proj none (Hugging Face's Qwen2Attention), and its config.json has no attention_bias key at all.
    /// </summary>
    public bool OutputProjectionBias => AttentionBias && ModelType != "qwen2";

    /// <summary>6·N per token is the usual training-FLOP estimate; this counts every weight, embeddings included.</summary>
    public long ParameterCount()
    {
        long attention = (long)HiddenSize * NumAttentionHeads * HeadDim * 2 + (long)HiddenSize * NumKeyValueHeads * HeadDim * 2;
        long mlp = 3L * HiddenSize * IntermediateSize;
        long perLayer = attention + mlp + 2L * HiddenSize;
        long embeddings = (long)VocabSize * HiddenSize * (TieWordEmbeddings ? 1 : 2);
        return embeddings + perLayer * NumHiddenLayers + HiddenSize;
    }

    public void Validate(string source)
    {
        void Require(bool ok, string what) { if (!ok) throw new ModelLoadException($"{source}: invalid config: {what}"); }
        Require(VocabSize > 0, $"vocab_size must be > 0 (got {VocabSize})");
        Require(HiddenSize > 0, $"hidden_size must be > 0 (got {HiddenSize})");
        Require(IntermediateSize > 0, $"intermediate_size must be > 0 (got {IntermediateSize})");
        Require(NumHiddenLayers > 0, $"num_hidden_layers must be > 0 (got {NumHiddenLayers})");
        Require(NumAttentionHeads > 0, $"num_attention_heads must be > 0 (got {NumAttentionHeads})");
        Require(NumKeyValueHeads > 0 && NumAttentionHeads % NumKeyValueHeads == 0,
            $"num_attention_heads ({NumAttentionHeads}) must be a multiple of num_key_value_heads ({NumKeyValueHeads})");
        Require(HeadDim > 0 && HeadDim % 2 == 0, $"head_dim must be even and > 0 (got {HeadDim})");
        Require(RmsNormEps > 0, "rms_norm_eps must be > 0");
        Require(RopeTheta > 0, "rope_theta must be > 0");
    }

    public static LlamaConfig Load(string configPath)
    {
        if (!File.Exists(configPath)) throw new ModelLoadException($"config not found: {configPath}");
        return FromJson(HfConfigFile.Read(configPath), configPath);
    }

    public static LlamaConfig FromJson(JsonObject json, string source)
    {
        string modelType = json["model_type"]?.GetValue<string>() ?? "";
        var supported = new[] { "llama", "mistral", "qwen2" };
        if (!supported.Contains(modelType))
            throw new ModelLoadException(
                $"{source}: model_type '{modelType}' is not a LLaMA-family decoder (supported: {string.Join(", ", supported)})");
        try
        {
            int Int(string key, int? fallback = null) =>
                json[key]?.GetValue<int>() ?? fallback ?? throw new ModelLoadException($"{source}: missing required key '{key}'");
            int hidden = Int("hidden_size"), heads = Int("num_attention_heads");
            var config = new LlamaConfig
            {
                ModelType = modelType,
                VocabSize = Int("vocab_size"),
                HiddenSize = hidden,
                IntermediateSize = Int("intermediate_size"),
                NumHiddenLayers = Int("num_hidden_layers"),
                NumAttentionHeads = heads,
                NumKeyValueHeads = Int("num_key_value_heads", heads),
                HeadDim = json["head_dim"] is JsonNode hd && hd.GetValueKind() == JsonValueKind.Number ? hd.GetValue<int>() : hidden / heads,
                MaxPositionEmbeddings = Int("max_position_embeddings", 2048),
                RmsNormEps = json["rms_norm_eps"]?.GetValue<double>() ?? 1e-6,
                RopeTheta = json["rope_theta"]?.GetValue<double>() ?? 10000.0,
                RopeScaling = Models.RopeScaling.FromJson(json["rope_scaling"], source),
                TieWordEmbeddings = json["tie_word_embeddings"]?.GetValue<bool>() ?? false,
                AttentionBias = json["attention_bias"]?.GetValue<bool>() ?? modelType == "qwen2",
                MlpBias = json["mlp_bias"]?.GetValue<bool>() ?? false,
                BosTokenId = FirstId(json["bos_token_id"]) ?? 1,
                EosTokenId = FirstId(json["eos_token_id"]) ?? 2,
                TorchDtype = json["torch_dtype"]?.GetValue<string>() ?? "float32",
            };
            config.Validate(source);
            return config;
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new ModelLoadException($"{source}: a config value has the wrong type ({e.Message})");
        }
    }

    // LLaMA-3 configs list several EOS ids; the first is the one generation stops on by default.
    private static int? FirstId(JsonNode? node) => node switch
    {
        null => null,
        JsonArray array => array.Count > 0 ? array[0]!.GetValue<int>() : null,
        _ => node.GetValue<int>(),
    };

    public JsonObject ToJson() => new()
    {
        ["architectures"] = new JsonArray(ModelType switch { "qwen2" => "Qwen2ForCausalLM", "mistral" => "MistralForCausalLM", _ => "LlamaForCausalLM" }),
        ["model_type"] = ModelType,
        ["vocab_size"] = VocabSize,
        ["hidden_size"] = HiddenSize,
        ["intermediate_size"] = IntermediateSize,
        ["num_hidden_layers"] = NumHiddenLayers,
        ["num_attention_heads"] = NumAttentionHeads,
        ["num_key_value_heads"] = NumKeyValueHeads,
        ["head_dim"] = HeadDim,
        ["max_position_embeddings"] = MaxPositionEmbeddings,
        ["rms_norm_eps"] = RmsNormEps,
        ["rope_theta"] = RopeTheta,
        ["rope_scaling"] = RopeScaling?.ToJson(),
        ["tie_word_embeddings"] = TieWordEmbeddings,
        ["attention_bias"] = AttentionBias,
        ["mlp_bias"] = MlpBias,
        ["hidden_act"] = "silu",
        ["bos_token_id"] = BosTokenId,
        ["eos_token_id"] = EosTokenId,
        ["torch_dtype"] = TorchDtype,
    };

    public void Save(string configPath) =>
        File.WriteAllText(configPath, ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
}

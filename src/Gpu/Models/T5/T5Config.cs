using System.Text.Json;
using System.Text.Json.Nodes;

namespace RecurrentKif.Gpu.Models.T5;

/// <summary>
/// The architecture of a T5 encoder-decoder (HF T5ForConditionalGeneration), read from (and written as) config.json
/// with HF's keys and defaults: T5 v1.0 (t5-large: ReLU feed-forward, tied head) and v1.1 / Flan-T5 (gated-GELU,
/// untied head) differ only in <see cref="FeedForwardProj"/> and <see cref="TieWordEmbeddings"/>.
/// </summary>
public sealed record T5Config
{
    public int VocabSize { get; init; } = 32128;
    public int DModel { get; init; } = 512;
    public int DKv { get; init; } = 64;
    public int DFf { get; init; } = 2048;
    public int NumLayers { get; init; } = 6;
    public int NumDecoderLayers { get; init; } = 6;
    public int NumHeads { get; init; } = 8;
    public int RelativeAttentionNumBuckets { get; init; } = 32;
    public int RelativeAttentionMaxDistance { get; init; } = 128;
    public double DropoutRate { get; init; } = 0.1;
    public double LayerNormEpsilon { get; init; } = 1e-6;
    /// <summary>"relu" (T5 v1.0), "gated-gelu" (v1.1, Flan), or [gated-]relu/gelu/gelu_new/silu.</summary>
    public string FeedForwardProj { get; init; } = "relu";
    public bool TieWordEmbeddings { get; init; } = true;
    public int PadTokenId { get; init; }
    public int EosTokenId { get; init; } = 1;
    public int DecoderStartTokenId { get; init; }
    public string TorchDtype { get; init; } = "float32";

    /// <summary>True for the gated feed-forward (wi_0, wi_1, wo); false for the plain one (wi, wo).</summary>
    public bool IsGatedFeedForward => FeedForwardProj.StartsWith("gated-", StringComparison.Ordinal);

    /// <summary>The activation name as HF resolves it: "gated-gelu" means the tanh approximation (gelu_new).</summary>
    public string Activation
    {
        get
        {
            string act = FeedForwardProj.Split('-')[^1];
            return FeedForwardProj == "gated-gelu" ? "gelu_new" : act;
        }
    }

    public int InnerDim => NumHeads * DKv;

    public long ParameterCount()
    {
        long attention = 4L * DModel * InnerDim;
        long feedForward = (IsGatedFeedForward ? 3L : 2L) * DModel * DFf;
        long encoderBlock = attention + feedForward + 2L * DModel;
        long decoderBlock = 2 * attention + feedForward + 3L * DModel;
        long bias = 2L * RelativeAttentionNumBuckets * NumHeads;
        long embeddings = (long)VocabSize * DModel * (TieWordEmbeddings ? 1 : 2);
        return embeddings + encoderBlock * NumLayers + decoderBlock * NumDecoderLayers + bias + 2L * DModel;
    }

    private static readonly string[] Activations = ["relu", "gelu", "gelu_new", "silu"];

    public void Validate(string source)
    {
        void Require(bool ok, string what) { if (!ok) throw new ModelLoadException($"{source}: invalid T5 config: {what}"); }
        Require(VocabSize > 0, $"vocab_size must be > 0 (got {VocabSize})");
        Require(DModel > 0, $"d_model must be > 0 (got {DModel})");
        Require(DKv > 0, $"d_kv must be > 0 (got {DKv})");
        Require(DFf > 0, $"d_ff must be > 0 (got {DFf})");
        Require(NumLayers > 0, $"num_layers must be > 0 (got {NumLayers})");
        Require(NumDecoderLayers > 0, $"num_decoder_layers must be > 0 (got {NumDecoderLayers})");
        Require(NumHeads > 0, $"num_heads must be > 0 (got {NumHeads})");
        Require(RelativeAttentionNumBuckets >= 4, $"relative_attention_num_buckets must be >= 4 (got {RelativeAttentionNumBuckets})");
        Require(RelativeAttentionMaxDistance > RelativeAttentionNumBuckets / 2,
            $"relative_attention_max_distance ({RelativeAttentionMaxDistance}) must exceed half the bucket count ({RelativeAttentionNumBuckets})");
        Require(DropoutRate is >= 0 and < 1, $"dropout_rate must be in [0, 1) (got {DropoutRate})");
        Require(LayerNormEpsilon > 0, "layer_norm_epsilon must be > 0");
        var parts = FeedForwardProj.Split('-');
        Require((parts.Length == 1 || (parts.Length == 2 && parts[0] == "gated")) && Activations.Contains(Activation),
            $"feed_forward_proj '{FeedForwardProj}' is not one of relu, gated-gelu, or [gated-]{string.Join("/", Activations)}");
        Require(PadTokenId >= 0 && PadTokenId < VocabSize, $"pad_token_id {PadTokenId} is outside the vocabulary");
        Require(DecoderStartTokenId >= 0 && DecoderStartTokenId < VocabSize, $"decoder_start_token_id {DecoderStartTokenId} is outside the vocabulary");
    }

    /// <summary>True when a config.json object describes a T5 (model_type "t5" or architecture T5ForConditionalGeneration).</summary>
    public static bool Describes(JsonObject json) =>
        json["model_type"]?.GetValue<string>() == "t5" ||
        (json["architectures"] is JsonArray architectures && architectures.Any(a => a?.GetValue<string>() == "T5ForConditionalGeneration"));

    public static T5Config FromJson(JsonObject json, string source)
    {
        if (!Describes(json)) throw new ModelLoadException($"{source}: not a T5 config (model_type '{json["model_type"]}')");
        try
        {
            int Int(string key, int? fallback = null) =>
                json[key]?.GetValue<int>() ?? fallback ?? throw new ModelLoadException($"{source}: missing required key '{key}'");
            int layers = Int("num_layers");
            var config = new T5Config
            {
                VocabSize = Int("vocab_size"),
                DModel = Int("d_model"),
                DKv = Int("d_kv", 64),
                DFf = Int("d_ff"),
                NumLayers = layers,
                // HF: "num_decoder_layers ... will use the same value as num_layers if not set" (also when null).
                NumDecoderLayers = Int("num_decoder_layers", layers),
                NumHeads = Int("num_heads"),
                RelativeAttentionNumBuckets = Int("relative_attention_num_buckets", 32),
                RelativeAttentionMaxDistance = Int("relative_attention_max_distance", 128),
                DropoutRate = json["dropout_rate"]?.GetValue<double>() ?? 0.1,
                LayerNormEpsilon = json["layer_norm_epsilon"]?.GetValue<double>() ?? 1e-6,
                FeedForwardProj = json["feed_forward_proj"]?.GetValue<string>() ?? "relu",
                TieWordEmbeddings = json["tie_word_embeddings"]?.GetValue<bool>() ?? true,
                PadTokenId = Int("pad_token_id", 0),
                EosTokenId = Int("eos_token_id", 1),
                DecoderStartTokenId = Int("decoder_start_token_id", 0),
                TorchDtype = json["torch_dtype"]?.GetValue<string>() ?? "float32",
            };
            config.Validate(source);
            return config;
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new ModelLoadException($"{source}: a T5 config value has the wrong type ({e.Message})");
        }
    }

    /// <summary>config.json as HF's T5Config writes it (the keys a Python user's loader reads).</summary>
    public JsonObject ToJson() => new()
    {
        ["architectures"] = new JsonArray("T5ForConditionalGeneration"),
        ["model_type"] = "t5",
        ["vocab_size"] = VocabSize,
        ["d_model"] = DModel,
        ["d_kv"] = DKv,
        ["d_ff"] = DFf,
        ["num_layers"] = NumLayers,
        ["num_decoder_layers"] = NumDecoderLayers,
        ["num_heads"] = NumHeads,
        ["relative_attention_num_buckets"] = RelativeAttentionNumBuckets,
        ["relative_attention_max_distance"] = RelativeAttentionMaxDistance,
        ["dropout_rate"] = DropoutRate,
        ["layer_norm_epsilon"] = LayerNormEpsilon,
        ["initializer_factor"] = 1.0,
        ["feed_forward_proj"] = FeedForwardProj,
        ["dense_act_fn"] = Activation,
        ["is_gated_act"] = IsGatedFeedForward,
        ["is_encoder_decoder"] = true,
        ["tie_word_embeddings"] = TieWordEmbeddings,
        ["use_cache"] = true,
        ["pad_token_id"] = PadTokenId,
        ["eos_token_id"] = EosTokenId,
        ["decoder_start_token_id"] = DecoderStartTokenId,
        ["torch_dtype"] = TorchDtype,
    };

    public void Save(string configPath) =>
        File.WriteAllText(configPath, ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
}

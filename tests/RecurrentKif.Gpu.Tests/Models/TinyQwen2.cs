using System.Text.Json;
using System.Text.Json.Nodes;
using RecurrentKif.Gpu.Models;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Tests.Models;

/// <summary>
/// A tiny randomly initialised Qwen2 written as Hugging Face's save_pretrained lays out Qwen2ForCausalLM: config.json
/// with Qwen2Config's keys (no attention_bias key: Qwen2 always has q/k/v biases and no o_proj bias) and
/// model.safetensors with HF's tensor names, spelled out here from HF's module tree, independently of the loader.
/// </summary>
public static class TinyQwen2
{
    public const int Hidden = 16, Layers = 2, Heads = 4, KeyValueHeads = 2, Intermediate = 32;
    public const int HeadDim = Hidden / Heads;

    /// <summary>Every tensor Qwen2ForCausalLM.state_dict() saves (tied embeddings: no lm_head.weight), with its shape.</summary>
    public static IReadOnlyDictionary<string, long[]> ExpectedTensors(int vocabSize)
    {
        var shapes = new Dictionary<string, long[]> { ["model.embed_tokens.weight"] = [vocabSize, Hidden], ["model.norm.weight"] = [Hidden] };
        for (int i = 0; i < Layers; i++)
        {
            string layer = $"model.layers.{i}";
            shapes[$"{layer}.self_attn.q_proj.weight"] = [Heads * HeadDim, Hidden];
            shapes[$"{layer}.self_attn.q_proj.bias"] = [Heads * HeadDim];
            shapes[$"{layer}.self_attn.k_proj.weight"] = [KeyValueHeads * HeadDim, Hidden];
            shapes[$"{layer}.self_attn.k_proj.bias"] = [KeyValueHeads * HeadDim];
            shapes[$"{layer}.self_attn.v_proj.weight"] = [KeyValueHeads * HeadDim, Hidden];
            shapes[$"{layer}.self_attn.v_proj.bias"] = [KeyValueHeads * HeadDim];
            shapes[$"{layer}.self_attn.o_proj.weight"] = [Hidden, Heads * HeadDim];
            shapes[$"{layer}.mlp.gate_proj.weight"] = [Intermediate, Hidden];
            shapes[$"{layer}.mlp.up_proj.weight"] = [Intermediate, Hidden];
            shapes[$"{layer}.mlp.down_proj.weight"] = [Hidden, Intermediate];
            shapes[$"{layer}.input_layernorm.weight"] = [Hidden];
            shapes[$"{layer}.post_attention_layernorm.weight"] = [Hidden];
        }
        return shapes;
    }

    /// <summary>config.json as transformers 4.4x writes it for a Qwen2 of these sizes.</summary>
    public static JsonObject ConfigJson(int vocabSize, int bosTokenId, int eosTokenId) => new()
    {
        ["architectures"] = new JsonArray("Qwen2ForCausalLM"),
        ["attention_dropout"] = 0.0,
        ["bos_token_id"] = bosTokenId,
        ["eos_token_id"] = eosTokenId,
        ["hidden_act"] = "silu",
        ["hidden_size"] = Hidden,
        ["initializer_range"] = 0.02,
        ["intermediate_size"] = Intermediate,
        ["max_position_embeddings"] = 512,
        ["max_window_layers"] = Layers,
        ["model_type"] = "qwen2",
        ["num_attention_heads"] = Heads,
        ["num_hidden_layers"] = Layers,
        ["num_key_value_heads"] = KeyValueHeads,
        ["rms_norm_eps"] = 1e-6,
        ["rope_theta"] = 1000000.0,
        ["sliding_window"] = null,
        ["tie_word_embeddings"] = true,
        ["torch_dtype"] = "float32",
        ["transformers_version"] = "4.45.0",
        ["use_cache"] = true,
        ["use_sliding_window"] = false,
        ["vocab_size"] = vocabSize,
    };

    /// <summary>Writes config.json and model.safetensors (seeded random weights) into <paramref name="folder"/>.</summary>
    public static void Write(string folder, int vocabSize, int bosTokenId, int eosTokenId, int seed = 5)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "config.json"),
            ConfigJson(vocabSize, bosTokenId, eosTokenId).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        var generator = new Generator((ulong)seed);
        var weights = new Dictionary<string, Tensor>();
        try
        {
            foreach (var (name, shape) in ExpectedTensors(vocabSize).OrderBy(kv => kv.Key, StringComparer.Ordinal))
                // Norms near 1, biases and embeddings small, projections scaled by fan-in so activations stay O(1).
                weights[name] = name.EndsWith("norm.weight", StringComparison.Ordinal) ? 1 + 0.1 * randn(shape, generator: generator)
                    : name.EndsWith(".bias", StringComparison.Ordinal) || name == "model.embed_tokens.weight" ? 0.1 * randn(shape, generator: generator)
                    : randn(shape, generator: generator) / Math.Sqrt(shape[1]);
            SafeTensorsFile.Save(Path.Combine(folder, "model.safetensors"), weights, new Dictionary<string, string> { ["format"] = "pt" });
        }
        finally
        {
            foreach (var tensor in weights.Values) tensor.Dispose();
        }
    }
}

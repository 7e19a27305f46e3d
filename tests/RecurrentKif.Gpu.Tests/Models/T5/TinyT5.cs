using System.Text.Json.Nodes;
using RecurrentKif.Gpu.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Tests.Models.T5;

/// <summary>The shape of a tiny random T5 and how its folder is written.</summary>
public sealed record TinyT5Spec
{
    public string FeedForward { get; init; } = "relu";
    public bool Tied { get; init; } = true;
    public int Vocab { get; init; } = 40;
    public int DModel { get; init; } = 16;
    public int DKv { get; init; } = 4;
    public int Heads { get; init; } = 3;
    public int DFf { get; init; } = 24;
    public int EncoderLayers { get; init; } = 2;
    /// <summary>Null writes no num_decoder_layers key (HF then uses num_layers).</summary>
    public int? DecoderLayers { get; init; } = 3;
    public int Buckets { get; init; } = 16;
    public int MaxDistance { get; init; } = 32;
    /// <summary>Split the weights over two shards with model.safetensors.index.json.</summary>
    public bool Sharded { get; init; }
    /// <summary>Also store encoder/decoder.embed_tokens.weight, as older exports do.</summary>
    public bool WithEmbedCopies { get; init; }
    public int Seed { get; init; } = 11;

    public int DecoderLayerCount => DecoderLayers ?? EncoderLayers;
    public bool Gated => FeedForward.StartsWith("gated-", StringComparison.Ordinal);
}

/// <summary>
/// A tiny randomly initialised T5 written exactly as HF's save_pretrained lays it out: config.json with HF's keys,
/// model.safetensors (or shards + index) with HF's tensor names, shared.weight standing for the tied embed_tokens.
/// The names are spelled out here from HF's module tree, independently of the production loader.
/// </summary>
public static class TinyT5
{
    /// <summary>Every tensor HF's T5ForConditionalGeneration.state_dict() saves for this spec, with its shape.</summary>
    public static IReadOnlyDictionary<string, long[]> ExpectedTensors(TinyT5Spec s)
    {
        var shapes = new Dictionary<string, long[]> { ["shared.weight"] = [s.Vocab, s.DModel] };
        long inner = s.Heads * s.DKv;
        void Attention(string prefix, bool relative)
        {
            shapes[$"{prefix}.q.weight"] = [inner, s.DModel];
            shapes[$"{prefix}.k.weight"] = [inner, s.DModel];
            shapes[$"{prefix}.v.weight"] = [inner, s.DModel];
            shapes[$"{prefix}.o.weight"] = [s.DModel, inner];
            if (relative) shapes[$"{prefix}.relative_attention_bias.weight"] = [s.Buckets, s.Heads];
        }
        void FeedForward(string prefix)
        {
            if (s.Gated)
            {
                shapes[$"{prefix}.DenseGatedActDense.wi_0.weight"] = [s.DFf, s.DModel];
                shapes[$"{prefix}.DenseGatedActDense.wi_1.weight"] = [s.DFf, s.DModel];
                shapes[$"{prefix}.DenseGatedActDense.wo.weight"] = [s.DModel, s.DFf];
            }
            else
            {
                shapes[$"{prefix}.DenseReluDense.wi.weight"] = [s.DFf, s.DModel];
                shapes[$"{prefix}.DenseReluDense.wo.weight"] = [s.DModel, s.DFf];
            }
            shapes[$"{prefix}.layer_norm.weight"] = [s.DModel];
        }
        for (int i = 0; i < s.EncoderLayers; i++)
        {
            Attention($"encoder.block.{i}.layer.0.SelfAttention", relative: i == 0);
            shapes[$"encoder.block.{i}.layer.0.layer_norm.weight"] = [s.DModel];
            FeedForward($"encoder.block.{i}.layer.1");
        }
        for (int i = 0; i < s.DecoderLayerCount; i++)
        {
            Attention($"decoder.block.{i}.layer.0.SelfAttention", relative: i == 0);
            shapes[$"decoder.block.{i}.layer.0.layer_norm.weight"] = [s.DModel];
            Attention($"decoder.block.{i}.layer.1.EncDecAttention", relative: false);
            shapes[$"decoder.block.{i}.layer.1.layer_norm.weight"] = [s.DModel];
            FeedForward($"decoder.block.{i}.layer.2");
        }
        shapes["encoder.final_layer_norm.weight"] = [s.DModel];
        shapes["decoder.final_layer_norm.weight"] = [s.DModel];
        if (!s.Tied) shapes["lm_head.weight"] = [s.Vocab, s.DModel];
        return shapes;
    }

    /// <summary>Random weights for the spec (CPU, fp32), from a seeded generator.</summary>
    public static Dictionary<string, Tensor> RandomWeights(TinyT5Spec s)
    {
        var generator = new Generator((ulong)s.Seed);
        var weights = new Dictionary<string, Tensor>();
        foreach (var (name, shape) in ExpectedTensors(s).OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            // Norm weights near 1, embeddings O(1), projections scaled by fan-in so activations stay O(1).
            var t = name.EndsWith("layer_norm.weight", StringComparison.Ordinal)
                ? 1 + 0.1 * randn(shape, generator: generator)
                : name.Contains("relative_attention_bias", StringComparison.Ordinal) || name == "shared.weight"
                    ? randn(shape, generator: generator)
                    : randn(shape, generator: generator) / Math.Sqrt(shape[1]) * 1.5;
            weights[name] = t;
        }
        return weights;
    }

    /// <summary>config.json as HF 4.x writes it for these settings.</summary>
    public static JsonObject ConfigJson(TinyT5Spec s)
    {
        var config = new JsonObject
        {
            ["architectures"] = new JsonArray("T5ForConditionalGeneration"),
            ["classifier_dropout"] = 0.0,
            ["d_ff"] = s.DFf,
            ["d_kv"] = s.DKv,
            ["d_model"] = s.DModel,
            ["decoder_start_token_id"] = 0,
            ["dense_act_fn"] = s.Gated ? "gelu_new" : "relu",
            ["dropout_rate"] = 0.1,
            ["eos_token_id"] = 1,
            ["feed_forward_proj"] = s.FeedForward,
            ["initializer_factor"] = 1.0,
            ["is_encoder_decoder"] = true,
            ["is_gated_act"] = s.Gated,
            ["layer_norm_epsilon"] = 1e-6,
            ["model_type"] = "t5",
            ["num_heads"] = s.Heads,
            ["num_layers"] = s.EncoderLayers,
            ["pad_token_id"] = 0,
            ["relative_attention_max_distance"] = s.MaxDistance,
            ["relative_attention_num_buckets"] = s.Buckets,
            ["torch_dtype"] = "float32",
            ["transformers_version"] = "4.46.0",
            ["use_cache"] = true,
            ["vocab_size"] = s.Vocab,
        };
        if (s.DecoderLayers is { } decoder) config["num_decoder_layers"] = decoder;
        // T5Config's default is tied; HF writes the key only when it differs (Flan-T5: false).
        if (!s.Tied) config["tie_word_embeddings"] = false;
        return config;
    }

    /// <summary>Writes the folder and returns the weights written (the caller disposes them).</summary>
    public static Dictionary<string, Tensor> Write(string folder, TinyT5Spec s)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "config.json"), ConfigJson(s).ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        var weights = RandomWeights(s);
        var stored = new Dictionary<string, Tensor>(weights);
        if (s.WithEmbedCopies)
        {
            stored["encoder.embed_tokens.weight"] = weights["shared.weight"];
            stored["decoder.embed_tokens.weight"] = weights["shared.weight"];
        }
        var metadata = new Dictionary<string, string> { ["format"] = "pt" };
        if (!s.Sharded)
        {
            SafeTensorsFile.Save(Path.Combine(folder, "model.safetensors"), stored, metadata);
            return weights;
        }
        // Two shards: the encoder (and shared) in the first, the rest in the second, with HF's index file.
        var names = stored.Keys.OrderBy(n => n, StringComparer.Ordinal).ToList();
        var first = names.Where(n => !n.StartsWith("decoder.", StringComparison.Ordinal) && n != "lm_head.weight").ToList();
        var shards = new[] { ("model-00001-of-00002.safetensors", first), ("model-00002-of-00002.safetensors", names.Except(first).ToList()) };
        var weightMap = new JsonObject();
        foreach (var (file, members) in shards)
        {
            SafeTensorsFile.Save(Path.Combine(folder, file), members.Select(n => KeyValuePair.Create(n, stored[n])), metadata);
            foreach (var n in members) weightMap[n] = file;
        }
        var index = new JsonObject { ["metadata"] = new JsonObject { ["total_size"] = 0 }, ["weight_map"] = weightMap };
        File.WriteAllText(Path.Combine(folder, "model.safetensors.index.json"), index.ToJsonString());
        return weights;
    }
}

using TorchSharp;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Tests.Models.T5;

/// <summary>
/// A deliberately plain T5 forward pass written from the paper's definitions (Raffel et al. 2020, §2.1 and
/// Appendix; HF's documented conventions for names and the tied-head scale), reading the weight dictionary
/// directly and using no production class: one example at a time (so no padding or masks), one head at a time,
/// explicit softmax, relative buckets computed with scalar double arithmetic.
/// </summary>
public static class T5Reference
{
    /// <summary>Logits [Tt, V] of one example: source ids and decoder input ids (starting with the decoder start id).</summary>
    public static Tensor Logits(IReadOnlyDictionary<string, Tensor> w, TinyT5Spec s, int[] source, int[] decoderInput)
    {
        using var scope = NewDisposeScope();
        var encoded = Encoder(w, s, source);
        var y = Embed(w, decoderInput);
        for (int l = 0; l < s.DecoderLayerCount; l++)
        {
            string p = $"decoder.block.{l}";
            var n = Norm(y, w[$"{p}.layer.0.layer_norm.weight"]);
            y = y + Attention(w, s, $"{p}.layer.0.SelfAttention", n, n, RelativeBias(w, s, "decoder", n.shape[0], n.shape[0], bidirectional: false, causal: true));
            n = Norm(y, w[$"{p}.layer.1.layer_norm.weight"]);
            y = y + Attention(w, s, $"{p}.layer.1.EncDecAttention", n, encoded, null);
            y = y + FeedForward(w, s, $"{p}.layer.2", Norm(y, w[$"{p}.layer.2.layer_norm.weight"]));
        }
        y = Norm(y, w["decoder.final_layer_norm.weight"]);
        var logits = s.Tied
            ? (y * Math.Pow(s.DModel, -0.5)).matmul(w["shared.weight"].t())
            : y.matmul(w["lm_head.weight"].t());
        return logits.MoveToOuterDisposeScope();
    }

    private static Tensor Encoder(IReadOnlyDictionary<string, Tensor> w, TinyT5Spec s, int[] source)
    {
        var x = Embed(w, source);
        var bias = RelativeBias(w, s, "encoder", source.Length, source.Length, bidirectional: true, causal: false);
        for (int l = 0; l < s.EncoderLayers; l++)
        {
            string p = $"encoder.block.{l}";
            var n = Norm(x, w[$"{p}.layer.0.layer_norm.weight"]);
            x = x + Attention(w, s, $"{p}.layer.0.SelfAttention", n, n, bias);
            x = x + FeedForward(w, s, $"{p}.layer.1", Norm(x, w[$"{p}.layer.1.layer_norm.weight"]));
        }
        return Norm(x, w["encoder.final_layer_norm.weight"]);
    }

    private static Tensor Embed(IReadOnlyDictionary<string, Tensor> w, int[] ids) =>
        stack(ids.Select(id => w["shared.weight"][id]).ToArray());

    // T5's layer norm: scale by the root mean square only (no mean subtraction, no bias).
    private static Tensor Norm(Tensor x, Tensor weight) =>
        x / (x.pow(2).mean([-1L], keepdim: true) + 1e-6).sqrt() * weight;

    /// <summary>Multi-head attention, head by head, scores q·k without 1/√d scaling, plus the optional [H][Tq, Tk] bias.</summary>
    private static Tensor Attention(IReadOnlyDictionary<string, Tensor> w, TinyT5Spec s, string prefix, Tensor queries, Tensor keysValues, Tensor[]? bias)
    {
        var heads = new List<Tensor>();
        for (int h = 0; h < s.Heads; h++)
        {
            var rows = arange(h * s.DKv, (h + 1) * s.DKv);
            var q = queries.matmul(w[$"{prefix}.q.weight"].index_select(0, rows).t());
            var k = keysValues.matmul(w[$"{prefix}.k.weight"].index_select(0, rows).t());
            var v = keysValues.matmul(w[$"{prefix}.v.weight"].index_select(0, rows).t());
            var scores = q.matmul(k.t());
            if (bias is not null) scores = scores + bias[h];
            var e = (scores - scores.max(-1, keepdim: true).values).exp();
            heads.Add((e / e.sum(-1, keepdim: true)).matmul(v));
        }
        return cat(heads, 1).matmul(w[$"{prefix}.o.weight"].t());
    }

    private static Tensor FeedForward(IReadOnlyDictionary<string, Tensor> w, TinyT5Spec s, string prefix, Tensor x)
    {
        if (!s.Gated)
            return x.matmul(w[$"{prefix}.DenseReluDense.wi.weight"].t()).clamp_min(0).matmul(w[$"{prefix}.DenseReluDense.wo.weight"].t());
        var gate = x.matmul(w[$"{prefix}.DenseGatedActDense.wi_0.weight"].t());
        var gelu = 0.5 * gate * (1 + (Math.Sqrt(2 / Math.PI) * (gate + 0.044715 * gate.pow(3))).tanh());
        return (gelu * x.matmul(w[$"{prefix}.DenseGatedActDense.wi_1.weight"].t())).matmul(w[$"{prefix}.DenseGatedActDense.wo.weight"].t());
    }

    /// <summary>Per head, the [Tq, Tk] bias of block 0's table; −∞ above the diagonal when causal.</summary>
    private static Tensor[] RelativeBias(IReadOnlyDictionary<string, Tensor> w, TinyT5Spec s, string stack, long queries, long keys, bool bidirectional, bool causal)
    {
        var table = w[$"{stack}.block.0.layer.0.SelfAttention.relative_attention_bias.weight"];
        var result = new Tensor[s.Heads];
        for (int h = 0; h < s.Heads; h++)
        {
            var values = new float[queries * keys];
            for (int i = 0; i < queries; i++)
                for (int j = 0; j < keys; j++)
                    values[i * keys + j] = causal && j > i
                        ? float.NegativeInfinity
                        : table[Bucket(j - i, bidirectional, s.Buckets, s.MaxDistance), h].item<float>();
            result[h] = tensor(values, [queries, keys]);
        }
        return result;
    }

    /// <summary>
    /// The bucket of relative position r = key − query: half the buckets for each sign when bidirectional (the
    /// decoder only sees r ≤ 0); |r| below half of those is its own bucket, larger distances share logarithmically
    /// wider buckets up to maxDistance.
    /// </summary>
    public static int Bucket(int relative, bool bidirectional, int numBuckets, int maxDistance)
    {
        int offset = 0;
        int distance;
        if (bidirectional)
        {
            numBuckets /= 2;
            if (relative > 0) offset = numBuckets;
            distance = Math.Abs(relative);
        }
        else
        {
            distance = Math.Max(-relative, 0);
        }
        int exact = numBuckets / 2;
        if (distance < exact) return offset + distance;
        int logBucket = exact + (int)(Math.Log(distance / (double)exact) / Math.Log(maxDistance / (double)exact) * (numBuckets - exact));
        return offset + Math.Min(logBucket, numBuckets - 1);
    }
}

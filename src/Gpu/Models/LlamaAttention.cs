using RecurrentKif.Gpu.Lora;
using TorchSharp;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Models;

/// <summary>Grouped-query self-attention with rotary embeddings; q/k/v/o are LoRA-capable linears.</summary>
public sealed class LlamaAttention : nn.Module
{
#pragma warning disable IDE1006
    private readonly LoraLinear q_proj, k_proj, v_proj, o_proj;
#pragma warning restore IDE1006
    private readonly int _heads, _kvHeads, _headDim;

    public LlamaAttention(string name, LlamaConfig config, ScalarType dtype, Device device) : base(name)
    {
        _heads = config.NumAttentionHeads;
        _kvHeads = config.NumKeyValueHeads;
        _headDim = config.HeadDim;
        long hidden = config.HiddenSize;
        q_proj = new LoraLinear("q_proj", hidden, _heads * _headDim, config.AttentionBias, dtype, device);
        k_proj = new LoraLinear("k_proj", hidden, _kvHeads * _headDim, config.AttentionBias, dtype, device);
        v_proj = new LoraLinear("v_proj", hidden, _kvHeads * _headDim, config.AttentionBias, dtype, device);
        o_proj = new LoraLinear("o_proj", _heads * _headDim, hidden, config.OutputProjectionBias, dtype, device);
        RegisterComponents();
    }

    /// <param name="x">[B, T, hidden]</param>
    /// <param name="mask">[B, 1, T, T_past+T] bool, true where a query may attend a key.</param>
    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor mask, KvCache? cache, int layerIndex)
    {
        using var scope = NewDisposeScope();
        long batch = x.shape[0], length = x.shape[1];
        var q = q_proj.forward(x).view(batch, length, _heads, _headDim).transpose(1, 2);
        var k = k_proj.forward(x).view(batch, length, _kvHeads, _headDim).transpose(1, 2);
        var v = v_proj.forward(x).view(batch, length, _kvHeads, _headDim).transpose(1, 2);
        q = RotaryEmbedding.Apply(q, cos, sin);
        k = RotaryEmbedding.Apply(k, cos, sin);
        if (cache is not null) (k, v) = cache.Append(layerIndex, k, v);
        if (_kvHeads != _heads)
        {
            // Each key/value head serves heads/kvHeads consecutive query heads (HF repeat_kv).
            k = k.repeat_interleave(_heads / _kvHeads, 1);
            v = v.repeat_interleave(_heads / _kvHeads, 1);
        }
        var attended = nn.functional.scaled_dot_product_attention(q, k, v, mask, 0.0, false);
        var merged = attended.transpose(1, 2).reshape(batch, length, _heads * _headDim);
        return o_proj.forward(merged).MoveToOuterDisposeScope();
    }
}

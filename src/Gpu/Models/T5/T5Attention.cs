using RecurrentKif.Gpu.Lora;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Models.T5;

/// <summary>
/// T5 multi-head attention (self or cross): q/k/v/o are LoRA-capable linears without bias, scores are q·kᵀ with
/// no 1/√d scaling (T5 folds it into the initialisation), plus an additive position bias that already carries the
/// mask. Only the first block's self-attention owns <c>relative_attention_bias</c>; the others reuse its output.
/// </summary>
public sealed class T5Attention : nn.Module
{
#pragma warning disable IDE1006 // field names are the HF tensor names
    private readonly LoraLinear q, k, v, o;
    private readonly Embedding? relative_attention_bias;
#pragma warning restore IDE1006
    private readonly int _heads, _headDim, _numBuckets, _maxDistance;
    private readonly bool _bidirectional;
    private readonly double _dropout;

    public bool HasRelativeBias => relative_attention_bias is not null;

    public T5Attention(string name, T5Config config, bool isDecoder, bool hasRelativeBias, ScalarType dtype, Device device) : base(name)
    {
        _heads = config.NumHeads;
        _headDim = config.DKv;
        _numBuckets = config.RelativeAttentionNumBuckets;
        _maxDistance = config.RelativeAttentionMaxDistance;
        _bidirectional = !isDecoder;
        _dropout = config.DropoutRate;
        long inner = config.InnerDim;
        q = new LoraLinear("q", config.DModel, inner, hasBias: false, dtype, device);
        k = new LoraLinear("k", config.DModel, inner, hasBias: false, dtype, device);
        v = new LoraLinear("v", config.DModel, inner, hasBias: false, dtype, device);
        o = new LoraLinear("o", inner, config.DModel, hasBias: false, dtype, device);
        if (hasRelativeBias)
            relative_attention_bias = nn.Embedding(config.RelativeAttentionNumBuckets, config.NumHeads, device: device, dtype: dtype);
        RegisterComponents();
    }

    /// <summary>
    /// The learnt bias of each head for queries <c>queryStart..queryStart+queryLength</c> against keys
    /// <c>0..keyLength</c>: [1, H, Tq, Tk]. Starting at the cached length lets one generated position reuse it.
    /// </summary>
    public Tensor RelativeBias(long queryStart, long queryLength, long keyLength)
    {
        if (relative_attention_bias is null) throw new InvalidOperationException($"{GetName()} has no relative_attention_bias");
        using var scope = NewDisposeScope();
        var offsets = T5RelativePosition.Offsets(queryStart, queryLength, keyLength, relative_attention_bias.weight!.device);
        var buckets = T5RelativePosition.Bucket(offsets, _bidirectional, _numBuckets, _maxDistance);
        var values = relative_attention_bias.forward(buckets);              // [Tq, Tk, H]
        return values.permute(2, 0, 1).unsqueeze(0).MoveToOuterDisposeScope();
    }

    /// <summary>Projects the keys and values of <paramref name="source"/>: [B, H, T, D] each.</summary>
    public (Tensor Keys, Tensor Values) KeysAndValues(Tensor source)
    {
        long batch = source.shape[0], length = source.shape[1];
        using var scope = NewDisposeScope();
        var keys = k.forward(source).view(batch, length, _heads, _headDim).transpose(1, 2);
        var values = v.forward(source).view(batch, length, _heads, _headDim).transpose(1, 2);
        return (keys.MoveToOuterDisposeScope(), values.MoveToOuterDisposeScope());
    }

    /// <param name="hidden">[B, Tq, d_model], already layer-normed.</param>
    /// <param name="keys">[B, H, Tk, D] and <paramref name="values"/> likewise (see <see cref="KeysAndValues"/>).</param>
    /// <param name="positionBias">[B or 1, H or 1, Tq, Tk]: relative bias plus the additive mask.</param>
    public Tensor Forward(Tensor hidden, Tensor keys, Tensor values, Tensor positionBias)
    {
        using var scope = NewDisposeScope();
        long batch = hidden.shape[0], length = hidden.shape[1];
        var queries = q.forward(hidden).view(batch, length, _heads, _headDim).transpose(1, 2);
        var scores = queries.matmul(keys.transpose(-1, -2)) + positionBias;
        var weights = nn.functional.softmax(scores.to(ScalarType.Float32), -1).to(scores.dtype);
        if (_dropout > 0) weights = nn.functional.dropout(weights, _dropout, training);
        var merged = weights.matmul(values).transpose(1, 2).reshape(batch, length, _heads * _headDim);
        return o.forward(merged).MoveToOuterDisposeScope();
    }
}

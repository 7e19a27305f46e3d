using TorchSharp;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Models.T5;

// The three sub-layers of a T5 block (HF layer[0], layer[1], layer[2]). Each is pre-norm with a residual:
// h + dropout(f(layer_norm(h))). T5's layer norm is RMS scaling without mean or bias, in fp32, the same
// computation as LLaMA's RMSNorm, so that class is reused.

/// <summary>layer[0]: self-attention (bidirectional in the encoder, causal in the decoder).</summary>
public sealed class T5LayerSelfAttention : nn.Module
{
#pragma warning disable IDE1006
    private readonly T5Attention SelfAttention;
    private readonly RmsNorm layer_norm;
#pragma warning restore IDE1006
    private readonly double _dropout;

    public T5Attention Attention => SelfAttention;

    public T5LayerSelfAttention(T5Config config, bool isDecoder, bool hasRelativeBias, ScalarType dtype, Device device) : base("0")
    {
        SelfAttention = new T5Attention("SelfAttention", config, isDecoder, hasRelativeBias, dtype, device);
        layer_norm = new RmsNorm("layer_norm", config.DModel, config.LayerNormEpsilon, dtype, device);
        _dropout = config.DropoutRate;
        RegisterComponents();
    }

    /// <param name="cache">Keys/values of earlier decoder positions (generation); extended in place.</param>
    public Tensor Forward(Tensor hidden, Tensor positionBias, KvCache? cache, int blockIndex)
    {
        using var scope = NewDisposeScope();
        var normed = layer_norm.forward(hidden);
        var (keys, values) = SelfAttention.KeysAndValues(normed);
        if (cache is not null) (keys, values) = cache.Append(blockIndex, keys, values);
        var attended = SelfAttention.Forward(normed, keys, values, positionBias);
        return (hidden + Dropout(attended)).MoveToOuterDisposeScope();
    }

    private Tensor Dropout(Tensor x) => _dropout > 0 ? nn.functional.dropout(x, _dropout, training) : x;
}

/// <summary>layer[1] of a decoder block: attention over the encoder output (no relative bias of its own).</summary>
public sealed class T5LayerCrossAttention : nn.Module
{
#pragma warning disable IDE1006
    private readonly T5Attention EncDecAttention;
    private readonly RmsNorm layer_norm;
#pragma warning restore IDE1006
    private readonly double _dropout;

    public T5Attention Attention => EncDecAttention;

    public T5LayerCrossAttention(T5Config config, ScalarType dtype, Device device) : base("1")
    {
        EncDecAttention = new T5Attention("EncDecAttention", config, isDecoder: true, hasRelativeBias: false, dtype, device);
        layer_norm = new RmsNorm("layer_norm", config.DModel, config.LayerNormEpsilon, dtype, device);
        _dropout = config.DropoutRate;
        RegisterComponents();
    }

    /// <param name="encoderKeys">EncDecAttention's keys of the encoder output (and <paramref name="encoderValues"/>).</param>
    /// <param name="encoderMask">[B, 1, 1, Ts] additive mask over the source padding.</param>
    public Tensor Forward(Tensor hidden, Tensor encoderKeys, Tensor encoderValues, Tensor encoderMask)
    {
        using var scope = NewDisposeScope();
        var attended = EncDecAttention.Forward(layer_norm.forward(hidden), encoderKeys, encoderValues, encoderMask);
        var dropped = _dropout > 0 ? nn.functional.dropout(attended, _dropout, training) : attended;
        return (hidden + dropped).MoveToOuterDisposeScope();
    }
}

/// <summary>The last sub-layer: ReLU (DenseReluDense) or gated (DenseGatedActDense) feed-forward.</summary>
public sealed class T5LayerFF : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006
    private readonly T5DenseActDense? DenseReluDense;
    private readonly T5DenseGatedActDense? DenseGatedActDense;
    private readonly RmsNorm layer_norm;
#pragma warning restore IDE1006
    private readonly double _dropout;

    public T5LayerFF(string name, T5Config config, ScalarType dtype, Device device) : base(name)
    {
        if (config.IsGatedFeedForward) DenseGatedActDense = new T5DenseGatedActDense(config, dtype, device);
        else DenseReluDense = new T5DenseActDense(config, dtype, device);
        layer_norm = new RmsNorm("layer_norm", config.DModel, config.LayerNormEpsilon, dtype, device);
        _dropout = config.DropoutRate;
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden)
    {
        using var scope = NewDisposeScope();
        var normed = layer_norm.forward(hidden);
        var transformed = DenseGatedActDense is not null ? DenseGatedActDense.forward(normed) : DenseReluDense!.forward(normed);
        var dropped = _dropout > 0 ? nn.functional.dropout(transformed, _dropout, training) : transformed;
        return (hidden + dropped).MoveToOuterDisposeScope();
    }
}

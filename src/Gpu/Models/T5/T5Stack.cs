using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Models.T5;

/// <summary>
/// The encoder or the decoder stack (HF "encoder." / "decoder."): dropout on the embedded tokens, the blocks, the
/// final layer norm and dropout. Block 0's relative position bias, plus the mask, is computed once and passed to
/// every block, as T5 shares it. Token embedding is done by the caller with the shared matrix.
/// </summary>
public sealed class T5Stack : nn.Module
{
#pragma warning disable IDE1006
    private readonly ModuleList<T5Block> block;
    private readonly RmsNorm final_layer_norm;
#pragma warning restore IDE1006
    private readonly double _dropout;

    public int BlockCount { get; }

    public T5Stack(string name, T5Config config, bool isDecoder, ScalarType dtype, Device device) : base(name)
    {
        BlockCount = isDecoder ? config.NumDecoderLayers : config.NumLayers;
        block = nn.ModuleList(Enumerable.Range(0, BlockCount).Select(i => new T5Block(i, config, isDecoder, dtype, device)).ToArray());
        final_layer_norm = new RmsNorm("final_layer_norm", config.DModel, config.LayerNormEpsilon, dtype, device);
        _dropout = config.DropoutRate;
        RegisterComponents();
    }

    /// <param name="embedded">[B, Ts, d_model] embedded source tokens.</param>
    /// <param name="keyValid">[B, Ts] bool, true on real tokens.</param>
    public Tensor Encode(Tensor embedded, Tensor keyValid)
    {
        using var scope = NewDisposeScope();
        long length = embedded.shape[1];
        var h = Dropout(embedded);
        var bias = block[0].Self.Attention.RelativeBias(0, length, length) + AdditiveMask(keyValid, h.dtype);
        foreach (var b in block) h = b.ForwardEncoder(h, bias);
        return Dropout(final_layer_norm.forward(h)).MoveToOuterDisposeScope();
    }

    /// <param name="embedded">[B, Tt, d_model] embedded decoder inputs (only the new positions when a cache is used).</param>
    /// <param name="encoderHidden">[B, Ts, d_model] the encoder output.</param>
    /// <param name="encoderValid">[B, Ts] bool, true on real source tokens.</param>
    public Tensor Decode(Tensor embedded, Tensor encoderHidden, Tensor encoderValid, T5DecoderCache? cache)
    {
        using var scope = NewDisposeScope();
        long length = embedded.shape[1], past = cache?.Length ?? 0, total = past + length;
        var h = Dropout(embedded);
        // Causal: query at position p sees keys 0..p. Right padding puts pads after every real target token, so
        // a real position never sees one and no decoder padding mask is needed (as in HF training).
        var queryPosition = arange(past, total, device: h.device).unsqueeze(1);
        var keyPosition = arange(0, total, device: h.device).unsqueeze(0);
        var causal = AdditiveMask(keyPosition.le(queryPosition).unsqueeze(0), h.dtype);          // [1, 1, Tt, P+Tt]
        var selfBias = block[0].Self.Attention.RelativeBias(past, length, total) + causal;
        var crossMask = AdditiveMask(encoderValid, h.dtype);
        for (int i = 0; i < BlockCount; i++)
        {
            var b = block[i];
            var (keys, values) = cache is null
                ? b.Cross.Attention.KeysAndValues(encoderHidden)
                : cache.CrossAttention(i, () => b.Cross.Attention.KeysAndValues(encoderHidden));
            h = b.ForwardDecoder(h, selfBias, keys, values, crossMask, cache?.SelfAttention, i);
        }
        return Dropout(final_layer_norm.forward(h)).MoveToOuterDisposeScope();
    }

    /// <summary>0 where attention is allowed, the dtype's lowest value where not (HF's extended mask): [B, 1, …, Tk].</summary>
    private static Tensor AdditiveMask(Tensor allowed, ScalarType dtype)
    {
        var mask = allowed.dim() == 2 ? allowed.unsqueeze(1).unsqueeze(1) : allowed.unsqueeze(1);
        double lowest = dtype switch
        {
            ScalarType.BFloat16 => -3.3895313892515355e38,
            ScalarType.Float16 => -65504.0,
            ScalarType.Float64 => double.MinValue,
            _ => float.MinValue,
        };
        return zeros(mask.shape, dtype: dtype, device: mask.device).masked_fill(mask.logical_not(), lowest);
    }

    private Tensor Dropout(Tensor x) => _dropout > 0 ? nn.functional.dropout(x, _dropout, training) : x;
}

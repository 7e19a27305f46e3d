using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Models.T5;

/// <summary>
/// One T5 block, HF layout: <c>layer.0</c> self-attention, in the decoder <c>layer.1</c> cross-attention, then the
/// feed-forward (<c>layer.1</c> in the encoder, <c>layer.2</c> in the decoder).
/// </summary>
public sealed class T5Block : nn.Module
{
#pragma warning disable IDE1006
    private readonly ModuleList<nn.Module> layer;
#pragma warning restore IDE1006
    private readonly bool _isDecoder;

    public T5Block(int index, T5Config config, bool isDecoder, ScalarType dtype, Device device) : base(index.ToString(System.Globalization.CultureInfo.InvariantCulture))
    {
        _isDecoder = isDecoder;
        var self = new T5LayerSelfAttention(config, isDecoder, hasRelativeBias: index == 0, dtype, device);
        layer = isDecoder
            ? nn.ModuleList<nn.Module>(self, new T5LayerCrossAttention(config, dtype, device), new T5LayerFF("2", config, dtype, device))
            : nn.ModuleList<nn.Module>(self, new T5LayerFF("1", config, dtype, device));
        RegisterComponents();
    }

    public T5LayerSelfAttention Self => (T5LayerSelfAttention)layer[0];
    public T5LayerCrossAttention Cross => _isDecoder ? (T5LayerCrossAttention)layer[1] : throw new InvalidOperationException("an encoder block has no cross-attention");
    private T5LayerFF FeedForward => (T5LayerFF)layer[_isDecoder ? 2 : 1];

    public Tensor ForwardEncoder(Tensor hidden, Tensor positionBias)
    {
        using var scope = NewDisposeScope();
        var h = Self.Forward(hidden, positionBias, cache: null, blockIndex: 0);
        return FeedForward.forward(h).MoveToOuterDisposeScope();
    }

    public Tensor ForwardDecoder(Tensor hidden, Tensor selfBias, Tensor encoderKeys, Tensor encoderValues, Tensor encoderMask, KvCache? cache, int blockIndex)
    {
        using var scope = NewDisposeScope();
        var h = Self.Forward(hidden, selfBias, cache, blockIndex);
        h = Cross.Forward(h, encoderKeys, encoderValues, encoderMask);
        return FeedForward.forward(h).MoveToOuterDisposeScope();
    }
}

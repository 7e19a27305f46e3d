using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Models.T5;

/// <summary>
/// What greedy decoding keeps between steps: the decoder's self-attention keys/values of the tokens so far, and each
/// block's cross-attention keys/values of the encoder output, projected once (the encoder runs once per batch).
/// </summary>
public sealed class T5DecoderCache : IDisposable
{
    private readonly Tensor?[] _crossKeys, _crossValues;

    public KvCache SelfAttention { get; }
    /// <summary>Decoder positions already cached.</summary>
    public long Length => SelfAttention.Length;

    public T5DecoderCache(int decoderLayers)
    {
        SelfAttention = new KvCache(decoderLayers);
        _crossKeys = new Tensor?[decoderLayers];
        _crossValues = new Tensor?[decoderLayers];
    }

    /// <summary>The block's encoder keys/values, projected by <paramref name="project"/> on first use.</summary>
    public (Tensor Keys, Tensor Values) CrossAttention(int block, Func<(Tensor Keys, Tensor Values)> project)
    {
        if (_crossKeys[block] is null)
        {
            var (keys, values) = project();
            _crossKeys[block] = keys.detach().DetachFromDisposeScope();
            _crossValues[block] = values.detach().DetachFromDisposeScope();
        }
        return (_crossKeys[block]!, _crossValues[block]!);
    }

    /// <summary>Keeps only the given batch rows (finished sequences leave the batch).</summary>
    public void SelectRows(Tensor rowIndices)
    {
        SelfAttention.SelectRows(rowIndices);
        for (int i = 0; i < _crossKeys.Length; i++)
        {
            if (_crossKeys[i] is { } k) { _crossKeys[i] = k.index_select(0, rowIndices).DetachFromDisposeScope(); k.Dispose(); }
            if (_crossValues[i] is { } v) { _crossValues[i] = v.index_select(0, rowIndices).DetachFromDisposeScope(); v.Dispose(); }
        }
    }

    public void Dispose()
    {
        SelfAttention.Dispose();
        foreach (var t in _crossKeys) t?.Dispose();
        foreach (var t in _crossValues) t?.Dispose();
    }
}

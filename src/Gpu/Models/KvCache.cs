using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Models;

/// <summary>
/// Keys and values of every layer for the tokens seen so far, so each generated token costs one position of
/// compute instead of re-running the whole prefix. Grows by concatenation: generation lengths here are short
/// (label words), so preallocation would buy little.
/// </summary>
public sealed class KvCache : IDisposable
{
    private readonly Tensor?[] _keys;
    private readonly Tensor?[] _values;

    public KvCache(int layers)
    {
        _keys = new Tensor?[layers];
        _values = new Tensor?[layers];
    }

    /// <summary>Number of positions already cached.</summary>
    public long Length => _keys[0]?.shape[2] ?? 0;

    /// <summary>Appends this step's keys/values [B, H_kv, T, D] for a layer and returns the full ones.</summary>
    public (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values)
    {
        var oldKeys = _keys[layer];
        var oldValues = _values[layer];
        var newKeys = oldKeys is null ? keys.detach().clone() : cat([oldKeys, keys.detach()], 2);
        var newValues = oldValues is null ? values.detach().clone() : cat([oldValues, values.detach()], 2);
        newKeys.DetachFromDisposeScope();
        newValues.DetachFromDisposeScope();
        oldKeys?.Dispose();
        oldValues?.Dispose();
        _keys[layer] = newKeys;
        _values[layer] = newValues;
        return (newKeys, newValues);
    }

    /// <summary>Keeps only the given batch rows (finished sequences are dropped from further decoding).</summary>
    public void SelectRows(Tensor rowIndices)
    {
        for (int i = 0; i < _keys.Length; i++)
        {
            if (_keys[i] is { } k) { _keys[i] = k.index_select(0, rowIndices).DetachFromDisposeScope(); k.Dispose(); }
            if (_values[i] is { } v) { _values[i] = v.index_select(0, rowIndices).DetachFromDisposeScope(); v.Dispose(); }
        }
    }

    public void Dispose()
    {
        foreach (var t in _keys) t?.Dispose();
        foreach (var t in _values) t?.Dispose();
    }
}

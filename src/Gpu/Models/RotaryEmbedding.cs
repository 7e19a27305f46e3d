using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Models;

/// <summary>
/// Rotary position embeddings in the Hugging Face "rotate half" convention: the head dimension is split into two
/// halves that are rotated together. (llama2.c / Meta checkpoints rotate interleaved pairs; their q/k rows are
/// permuted on load instead, see Llama2cCheckpoint.)
/// </summary>
public sealed class RotaryEmbedding : IDisposable
{
    private readonly Tensor _inverseFrequencies; // [headDim/2], fp32

    public RotaryEmbedding(LlamaConfig config, Device device)
    {
        int half = config.HeadDim / 2;
        var frequencies = Enumerable.Range(0, half).Select(i => 1.0 / Math.Pow(config.RopeTheta, 2.0 * i / config.HeadDim)).ToArray();
        if (config.RopeScaling is not null) frequencies = config.RopeScaling.Apply(frequencies);
        _inverseFrequencies = tensor(frequencies.Select(f => (float)f).ToArray(), device: device);
    }

    /// <summary>cos and sin for the given positions [B, T], shaped [B, 1, T, headDim] to broadcast over heads.</summary>
    public (Tensor Cos, Tensor Sin) For(Tensor positions, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var angles = positions.to(ScalarType.Float32).unsqueeze(-1) * _inverseFrequencies; // [B, T, D/2]
        var both = cat([angles, angles], -1).unsqueeze(1);                                 // [B, 1, T, D]
        var cos = both.cos().to(dtype);
        var sin = both.sin().to(dtype);
        return (cos.MoveToOuterDisposeScope(), sin.MoveToOuterDisposeScope());
    }

    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        long half = x.shape[^1] / 2;
        var rotated = cat([x.narrow(-1, half, half).neg(), x.narrow(-1, 0, half)], -1);
        return (x * cos + rotated * sin).MoveToOuterDisposeScope();
    }

    public void Dispose() => _inverseFrequencies.Dispose();
}

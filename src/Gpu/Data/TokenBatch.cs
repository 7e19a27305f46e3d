using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Data;

/// <summary>
/// One left-padded batch on a device. All tensors are [B, T]:
/// <list type="bullet">
/// <item><see cref="InputIds"/> int64; pad id on the left.</item>
/// <item><see cref="AttentionMask"/> bool: true on real tokens, false on pads (bool so it can gate
/// attention scores directly with masked_fill).</item>
/// <item><see cref="Labels"/> int64: <see cref="ExampleEncoder.IgnoreIndex"/> on pads, on prompt tokens, and
/// everywhere in prompt-only (generation) batches.</item>
/// <item><see cref="PositionIds"/> int64: 0, 1, 2, ... counted from each row's first real token, 0 on pads.
/// This is what HF generate uses with left padding. Note the official training forward passes no
/// position ids, so there positions were simply 0..T-1 whatever the padding; a model may choose either.</item>
/// </list>
/// Owns its tensors: dispose it when the step is done.
/// </summary>
public sealed class TokenBatch : IModelBatch
{
    public TokenBatch(Tensor inputIds, Tensor attentionMask, Tensor labels, Tensor positionIds, long labelTokenCount, long realTokenCount)
    {
        InputIds = inputIds;
        AttentionMask = attentionMask;
        Labels = labels;
        PositionIds = positionIds;
        LabelTokenCount = labelTokenCount;
        RealTokenCount = realTokenCount;
    }

    public Tensor InputIds { get; }
    public Tensor AttentionMask { get; }
    public Tensor Labels { get; }
    public Tensor PositionIds { get; }

    /// <summary>Positions whose label is not ignored (before the model's one-token shift).</summary>
    public long LabelTokenCount { get; }

    /// <summary>Non-pad positions in the whole batch.</summary>
    public long RealTokenCount { get; }

    public int BatchSize => (int)InputIds.shape[0];
    public int SequenceLength => (int)InputIds.shape[1];

    public void Dispose()
    {
        InputIds.Dispose();
        AttentionMask.Dispose();
        Labels.Dispose();
        PositionIds.Dispose();
    }
}

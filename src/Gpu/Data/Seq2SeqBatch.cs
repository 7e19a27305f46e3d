using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Data;

/// <summary>
/// One encoder-decoder batch on a device, padded on the RIGHT as T5 is (all [B, ·] int64 unless noted):
/// <list type="bullet">
/// <item><see cref="InputIds"/> [B, Ts]: the sources, pad id after each.</item>
/// <item><see cref="AttentionMask"/> [B, Ts] bool: true on real source tokens.</item>
/// <item><see cref="DecoderInputIds"/> [B, Tt]: the targets shifted right behind the decoder start id, pads as pad id
/// (HF's shift_right of the labels).</item>
/// <item><see cref="Labels"/> [B, Tt]: the targets, <see cref="ExampleEncoder.IgnoreIndex"/> on padding.</item>
/// </list>
/// Owns its tensors.
/// </summary>
public sealed class Seq2SeqBatch(Tensor inputIds, Tensor attentionMask, Tensor decoderInputIds, Tensor labels, long labelTokenCount, long realTokenCount) : IModelBatch
{
    public Tensor InputIds { get; } = inputIds;
    public Tensor AttentionMask { get; } = attentionMask;
    public Tensor DecoderInputIds { get; } = decoderInputIds;
    public Tensor Labels { get; } = labels;
    public long LabelTokenCount { get; } = labelTokenCount;
    /// <summary>Real source plus target tokens.</summary>
    public long RealTokenCount { get; } = realTokenCount;
    public int BatchSize => (int)InputIds.shape[0];

    public void Dispose()
    {
        InputIds.Dispose();
        AttentionMask.Dispose();
        DecoderInputIds.Dispose();
        Labels.Dispose();
    }
}

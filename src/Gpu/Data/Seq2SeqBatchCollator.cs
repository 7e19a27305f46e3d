using TorchSharp;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Data;

/// <summary>
/// Pads (source, target) pairs into a <see cref="Seq2SeqBatch"/> as HF's DataCollatorForSeq2Seq does for T5:
/// sources and targets padded on the right (each to its own longest row, rounded up to a multiple), label padding
/// −100, decoder inputs = [decoder start] + targets[:-1] with padding as pad id.
/// </summary>
public static class Seq2SeqBatchCollator
{
    public static Seq2SeqBatch Collate(IReadOnlyList<EncodedExample> examples, int padId, int decoderStartId, Device device, int padToMultipleOf = 1)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (examples.Count == 0) throw new ArgumentException("A batch needs at least one example.", nameof(examples));
        for (int i = 0; i < examples.Count; i++)
        {
            if (examples[i].Labels.Length == 0) throw new ArgumentException($"Example {i} has an empty target.", nameof(examples));
            if (examples[i].Labels.Any(l => l < 0)) throw new ArgumentException($"Example {i} has a negative target id.", nameof(examples));
        }
        var (ids, mask) = PadSources(examples.Select(e => e.InputIds).ToList(), padId, device, padToMultipleOf);

        int batch = examples.Count;
        int length = RoundUp(examples.Max(e => e.Labels.Length), padToMultipleOf);
        var decoderInputs = new long[batch * length];
        var labels = new long[batch * length];
        long labelTokens = 0, realTokens = examples.Sum(e => (long)e.InputIds.Length);
        for (int b = 0; b < batch; b++)
        {
            int[] target = examples[b].Labels;
            int row = b * length;
            for (int t = 0; t < length; t++)
            {
                labels[row + t] = t < target.Length ? target[t] : ExampleEncoder.IgnoreIndex;
                decoderInputs[row + t] = t == 0 ? decoderStartId : t - 1 < target.Length ? target[t - 1] : padId;
            }
            labelTokens += target.Length;
            realTokens += target.Length;
        }
        long[] shape = [batch, length];
        return new Seq2SeqBatch(ids, mask,
            torch.tensor(decoderInputs, shape, ScalarType.Int64, device),
            torch.tensor(labels, shape, ScalarType.Int64, device),
            labelTokens, realTokens);
    }

    /// <summary>Right-padded source ids [B, Ts] and mask (true on real tokens), for training and generation alike.</summary>
    public static (Tensor Ids, Tensor Mask) PadSources(IReadOnlyList<int[]> sources, int padId, Device device, int padToMultipleOf = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(padToMultipleOf, 1);
        if (sources.Count == 0) throw new ArgumentException("A batch needs at least one source.", nameof(sources));
        if (sources.Any(s => s.Length == 0)) throw new ArgumentException("A source in the batch is empty.", nameof(sources));
        int batch = sources.Count;
        int length = RoundUp(sources.Max(s => s.Length), padToMultipleOf);
        var ids = new long[batch * length];
        var mask = new bool[batch * length];
        for (int b = 0; b < batch; b++)
        {
            int row = b * length;
            for (int t = 0; t < length; t++)
            {
                bool real = t < sources[b].Length;
                ids[row + t] = real ? sources[b][t] : padId;
                mask[row + t] = real;
            }
        }
        long[] shape = [batch, length];
        return (torch.tensor(ids, shape, ScalarType.Int64, device), torch.tensor(mask, shape, ScalarType.Bool, device));
    }

    private static int RoundUp(int length, int multiple) => (length + multiple - 1) / multiple * multiple;
}

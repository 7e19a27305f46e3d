using TorchSharp;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Data;

/// <summary>
/// Stacks encoded sequences into a <see cref="TokenBatch"/> with LEFT padding (pad id on the left), as the
/// official LLaMA code does: every row then ends at the last column, where generation continues.
/// The arrays are filled on the CPU and copied to the device once per tensor.
/// </summary>
public static class BatchCollator
{
    /// <param name="padToMultipleOf">Round the padded length up to a multiple of this (e.g. 8 for tensor
    /// cores); 1 (the default) pads only to the longest row.</param>
    public static TokenBatch Collate(IReadOnlyList<EncodedExample> examples, int padId, Device device, int padToMultipleOf = 1)
    {
        ArgumentNullException.ThrowIfNull(examples);
        for (int i = 0; i < examples.Count; i++)
        {
            if (examples[i].InputIds.Length != examples[i].Labels.Length)
                throw new ArgumentException($"Example {i} has {examples[i].InputIds.Length} ids but {examples[i].Labels.Length} labels.", nameof(examples));
        }
        return Build(examples.Select(e => (e.InputIds, (int[]?)e.Labels)).ToList(), padId, device, padToMultipleOf);
    }

    /// <summary>Prompt-only batch for generation; its labels are all ignored.</summary>
    public static TokenBatch CollatePrompts(IReadOnlyList<int[]> prompts, int padId, Device device, int padToMultipleOf = 1)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        return Build(prompts.Select(p => (p, (int[]?)null)).ToList(), padId, device, padToMultipleOf);
    }

    private static TokenBatch Build(List<(int[] Ids, int[]? Labels)> rows, int padId, Device device, int padToMultipleOf)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(padToMultipleOf, 1);
        if (rows.Count == 0) throw new ArgumentException("A batch needs at least one sequence.", nameof(rows));
        if (rows.Any(r => r.Ids.Length == 0)) throw new ArgumentException("A sequence in the batch is empty.", nameof(rows));

        int longest = rows.Max(r => r.Ids.Length);
        int length = (longest + padToMultipleOf - 1) / padToMultipleOf * padToMultipleOf;
        int batch = rows.Count;

        var ids = new long[batch * length];
        var mask = new bool[batch * length];
        var labels = new long[batch * length];
        var positions = new long[batch * length];
        long labelTokens = 0, realTokens = 0;
        for (int b = 0; b < batch; b++)
        {
            (int[] rowIds, int[]? rowLabels) = rows[b];
            int padding = length - rowIds.Length;
            int rowStart = b * length;
            for (int t = 0; t < padding; t++)
            {
                ids[rowStart + t] = padId;
                labels[rowStart + t] = ExampleEncoder.IgnoreIndex;
            }
            for (int t = 0; t < rowIds.Length; t++)
            {
                int at = rowStart + padding + t;
                ids[at] = rowIds[t];
                mask[at] = true;
                positions[at] = t;
                long label = rowLabels is null ? ExampleEncoder.IgnoreIndex : rowLabels[t];
                labels[at] = label;
                if (label != ExampleEncoder.IgnoreIndex) labelTokens++;
            }
            realTokens += rowIds.Length;
        }

        long[] shape = [batch, length];
        return new TokenBatch(
            torch.tensor(ids, shape, ScalarType.Int64, device),
            torch.tensor(mask, shape, ScalarType.Bool, device),
            torch.tensor(labels, shape, ScalarType.Int64, device),
            torch.tensor(positions, shape, ScalarType.Int64, device),
            labelTokens,
            realTokens);
    }
}

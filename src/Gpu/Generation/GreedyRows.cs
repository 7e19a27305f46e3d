using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Generation;

/// <summary>
/// The bookkeeping both greedy generators (decoder-only and encoder-decoder) share: eval mode without gradients for
/// the duration, and each step's argmax tokens appended to the rows still generating, a row ending at EOS.
/// </summary>
internal static class GreedyRows
{
    /// <summary>Runs <paramref name="generate"/> in eval mode without gradients, restoring training mode afterwards.</summary>
    public static IReadOnlyList<int[]> InEvalMode(nn.Module model, Func<IReadOnlyList<int[]>> generate)
    {
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var _ = no_grad();
            return generate();
        }
        finally
        {
            if (wasTraining) model.train();
        }
    }

    /// <summary>
    /// Appends batch row i's token <paramref name="next"/>[i] to the output of original row <paramref name="active"/>[i]
    /// unless it is EOS; returns the batch rows that go on (EOS ends a row and is not part of its output).
    /// </summary>
    public static List<long> AppendUntilEos(long[] next, IReadOnlyList<int> active, List<int>[] outputs, int eosId)
    {
        var keep = new List<long>();
        for (int row = 0; row < active.Count; row++)
        {
            if (next[row] == eosId) continue;
            outputs[active[row]].Add((int)next[row]);
            keep.Add(row);
        }
        return keep;
    }
}

using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Generation;

/// <summary>
/// Greedy (argmax) decoding of a batch of prompts, left-padded, with a KV cache: the prompt is run once, then each new
/// token costs one position. Rows stop at EOS or after <c>maxNewTokens</c>; finished rows are dropped from the batch.
/// <c>useCache: false</c> re-runs the whole sequence each step (kept for the benchmark that measures the cache's gain).
/// </summary>
public static class GreedyGenerator
{
    public static IReadOnlyList<int[]> Generate(
        LlamaForCausalLM model, IReadOnlyList<IReadOnlyList<int>> prompts, int maxNewTokens, int eosId, int padId, bool useCache = true)
    {
        if (prompts.Count == 0) return [];
        if (prompts.Any(p => p.Count == 0)) throw new ArgumentException("every prompt needs at least one token (BOS)");
        return GreedyRows.InEvalMode(model, () => useCache
            ? GenerateWithCache(model, prompts, maxNewTokens, eosId, padId)
            : GenerateWithoutCache(model, prompts, maxNewTokens, eosId, padId));
    }

    private static IReadOnlyList<int[]> GenerateWithCache(
        LlamaForCausalLM model, IReadOnlyList<IReadOnlyList<int>> prompts, int maxNewTokens, int eosId, int padId)
    {
        var outputs = prompts.Select(_ => new List<int>()).ToArray();
        var active = Enumerable.Range(0, prompts.Count).ToList(); // original row of each batch row
        using var cache = new KvCache(model.Config.NumHiddenLayers);
        var (ids, mask) = LeftPad(prompts, padId, model.Device);
        var nextInput = ids;
        for (int step = 0; step < maxNewTokens && active.Count > 0; step++)
        {
            using var scope = NewDisposeScope();
            var logits = model.Forward(nextInput, mask, cache, lastPositionOnly: true);
            long[] next = logits.squeeze(1).argmax(-1).data<long>().ToArray();
            var keep = GreedyRows.AppendUntilEos(next, active, outputs, eosId);
            if (keep.Count == 0 || step == maxNewTokens - 1) break;
            var nextTokens = tensor(keep.Select(r => next[r]).ToArray(), device: model.Device).unsqueeze(1);
            var extendedMask = cat([mask, ones(mask.shape[0], 1, dtype: ScalarType.Bool, device: model.Device)], 1);
            if (keep.Count < active.Count)
            {
                var rows = tensor(keep.ToArray(), device: model.Device);
                cache.SelectRows(rows);
                extendedMask = extendedMask.index_select(0, rows);
                active = keep.Select(r => active[(int)r]).ToList();
            }
            nextInput = nextTokens.MoveToOuterDisposeScope();
            mask = extendedMask.MoveToOuterDisposeScope();
        }
        return outputs.Select(o => o.ToArray()).ToList();
    }

    private static IReadOnlyList<int[]> GenerateWithoutCache(
        LlamaForCausalLM model, IReadOnlyList<IReadOnlyList<int>> prompts, int maxNewTokens, int eosId, int padId)
    {
        var outputs = prompts.Select(_ => new List<int>()).ToArray();
        var active = Enumerable.Range(0, prompts.Count).ToList(); // original row of each batch row
        for (int step = 0; step < maxNewTokens && active.Count > 0; step++)
        {
            using var scope = NewDisposeScope();
            var sequences = active.Select(r => (IReadOnlyList<int>)prompts[r].Concat(outputs[r]).ToList()).ToList();
            var (ids, mask) = LeftPad(sequences, padId, model.Device);
            long[] next = model.Forward(ids, mask, lastPositionOnly: true).squeeze(1).argmax(-1).data<long>().ToArray();
            active = GreedyRows.AppendUntilEos(next, active, outputs, eosId).Select(r => active[(int)r]).ToList();
        }
        return outputs.Select(o => o.ToArray()).ToList();
    }

    /// <summary>Left-padded ids and mask (true on real tokens) from the data layer's collator, the one padding rule.</summary>
    private static (Tensor Ids, Tensor Mask) LeftPad(IReadOnlyList<IReadOnlyList<int>> sequences, int padId, Device device)
    {
        using var batch = BatchCollator.CollatePrompts(sequences.Select(s => s.ToArray()).ToList(), padId, device);
        return (batch.InputIds.clone(), batch.AttentionMask.clone());
    }
}

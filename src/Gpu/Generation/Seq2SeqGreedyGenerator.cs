using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Models.T5;
using TorchSharp;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Generation;

/// <summary>
/// Greedy decoding for an encoder-decoder (HF generate with num_beams 1): the decoder starts from the decoder start
/// id and appends the argmax until EOS or <c>maxNewTokens</c>. With caching (the default) the encoder runs once, each
/// block's cross-attention keys/values are projected once, and the decoder's self-attention keys/values are kept, so a
/// step costs one decoder position; finished rows leave the batch. <c>useCache: false</c> re-runs the encoder and the
/// whole decoder prefix every step, the plain definition the cached path is tested against.
/// </summary>
public static class Seq2SeqGreedyGenerator
{
    public static IReadOnlyList<int[]> Generate(
        T5ForConditionalGeneration model, IReadOnlyList<IReadOnlyList<int>> sources, int maxNewTokens, int eosId, int padId, bool useCache = true)
    {
        if (sources.Count == 0) return [];
        if (sources.Any(s => s.Count == 0)) throw new ArgumentException("every source needs at least one token (</s>)");
        return GreedyRows.InEvalMode(model, () => useCache
            ? GenerateWithCache(model, sources, maxNewTokens, eosId, padId)
            : GenerateWithoutCache(model, sources, maxNewTokens, eosId, padId));
    }

    private static IReadOnlyList<int[]> GenerateWithCache(
        T5ForConditionalGeneration model, IReadOnlyList<IReadOnlyList<int>> sources, int maxNewTokens, int eosId, int padId)
    {
        var outputs = sources.Select(_ => new List<int>()).ToArray();
        var active = Enumerable.Range(0, sources.Count).ToList(); // original row of each batch row
        using var cache = new T5DecoderCache(model.Config.NumDecoderLayers);
        var (ids, mask) = Seq2SeqBatchCollator.PadSources(sources.Select(s => s.ToArray()).ToList(), padId, model.Device);
        var encoded = model.Encode(ids, mask);
        ids.Dispose();
        var nextInput = full(sources.Count, 1, model.Config.DecoderStartTokenId, dtype: ScalarType.Int64, device: model.Device);
        try
        {
            for (int step = 0; step < maxNewTokens && active.Count > 0; step++)
            {
                using var scope = NewDisposeScope();
                var logits = model.Decode(nextInput, encoded, mask, cache);
                long[] next = logits.select(1, -1).argmax(-1).data<long>().ToArray();
                var keep = GreedyRows.AppendUntilEos(next, active, outputs, eosId);
                if (keep.Count == 0 || step == maxNewTokens - 1) break;
                var nextTokens = tensor(keep.Select(r => next[r]).ToArray(), device: model.Device).unsqueeze(1);
                if (keep.Count < active.Count)
                {
                    var rows = tensor(keep.ToArray(), device: model.Device);
                    cache.SelectRows(rows);
                    var (oldEncoded, oldMask) = (encoded, mask);
                    encoded = encoded.index_select(0, rows).MoveToOuterDisposeScope();
                    mask = mask.index_select(0, rows).MoveToOuterDisposeScope();
                    oldEncoded.Dispose();
                    oldMask.Dispose();
                    active = keep.Select(r => active[(int)r]).ToList();
                }
                nextInput.Dispose();
                nextInput = nextTokens.MoveToOuterDisposeScope();
            }
        }
        finally
        {
            encoded.Dispose();
            mask.Dispose();
            nextInput.Dispose();
        }
        return outputs.Select(o => o.ToArray()).ToList();
    }

    private static IReadOnlyList<int[]> GenerateWithoutCache(
        T5ForConditionalGeneration model, IReadOnlyList<IReadOnlyList<int>> sources, int maxNewTokens, int eosId, int padId)
    {
        var outputs = sources.Select(_ => new List<int>()).ToArray();
        var active = Enumerable.Range(0, sources.Count).ToList(); // original row of each batch row
        for (int step = 0; step < maxNewTokens && active.Count > 0; step++)
        {
            using var scope = NewDisposeScope();
            var (ids, mask) = Seq2SeqBatchCollator.PadSources(active.Select(r => sources[r].ToArray()).ToList(), padId, model.Device);
            var decoderIds = active.SelectMany(r => outputs[r].Prepend(model.Config.DecoderStartTokenId).Select(t => (long)t)).ToArray();
            var decoderInput = tensor(decoderIds, [active.Count, step + 1], device: model.Device);
            long[] next = model.Forward(ids, mask, decoderInput).select(1, -1).argmax(-1).data<long>().ToArray();
            active = GreedyRows.AppendUntilEos(next, active, outputs, eosId).Select(r => active[(int)r]).ToList();
        }
        return outputs.Select(o => o.ToArray()).ToList();
    }
}

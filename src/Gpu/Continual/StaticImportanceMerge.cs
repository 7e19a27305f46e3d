using TorchSharp;
using static TorchSharp.torch;
using RecurrentKif.Gpu.Lora;

namespace RecurrentKif.Gpu.Continual;

/// <summary>
/// The static-importance baseline (TaSL-style, docs/algorithm.md §6.3), at per-scalar granularity so it differs from
/// Recurrent-KIF only in what the paper ablates: importance is measured once per task (accumulated over the whole
/// task, never re-estimated on memory), and one merge happens at the task end instead of recurrent fusion.
/// Merge: θ = θ_prev + w ⊙ (θ_now − θ_prev) with w = 1 (current-only key), 0 (history-only key), 0.3 (both), 0.5 (neither).
/// History importance is the element-wise maximum of earlier tasks' end-of-task scores, each scaled to max 1 so tasks
/// are comparable (TaSL normalises too).
/// </summary>
internal sealed class StaticImportanceMerge(ContinualSettings settings) : IDisposable
{
    private List<Tensor>? _history;

    public IReadOnlyList<MaskShares> MergeAtTaskEnd(LoraAdapter adapter, IReadOnlyList<Tensor> before, ImportanceTracker current)
    {
        if (current.IsEmpty) return [];
        using var _ = no_grad();
        var scores = NormalizedToUnitMax(current.Scores());
        try
        {
            if (_history is null)
            {
                _history = scores.Select(s => s.clone()).ToList();
                return [];
            }
            using var masks = KnowledgeIdentification.Identify(scores, _history, settings.Kif);
            double both = settings.StaticBothCurrentWeight;
            var table = new FusionWeightTable(new(1, 0), new(0, 1), new(both, 1 - both), new(0.5, 0.5));
            using var weights = FusionWeighting.Weigh(masks.In, masks.Out, table);
            using var now = new DisposableList(adapter.CloneParameters());
            // τ_in = θ_now − θ_prev and τ_out = 0 (θ is θ_now): the table's w_in is the merge weight of the current update.
            using (var fused = new DisposableList(KnowledgeMerge.Merge(before, now.Items, now.Items, weights.In, weights.Out)))
                adapter.CopyFrom(fused.Items);
            var shares = weights.Shares;
            for (int i = 0; i < _history.Count; i++)
            {
                var merged = _history[i].maximum(scores[i]);
                _history[i].Dispose();
                _history[i] = merged;
            }
            return [shares];
        }
        finally
        {
            foreach (var s in scores) s.Dispose();
        }
    }

    // One scale for the whole adapter (its largest score becomes 1), so the relative importance of tensors is kept.
    private static List<Tensor> NormalizedToUnitMax(IReadOnlyList<Tensor> scores)
    {
        double max = scores.Max(s => s.max().item<float>());
        var result = scores.Select(s => max > 0 ? s / max : s.clone()).ToList();
        foreach (var s in scores) s.Dispose();
        return result;
    }

    public void Dispose()
    {
        if (_history is not null) foreach (var t in _history) t.Dispose();
    }
}

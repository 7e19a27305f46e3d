using Akka.Actor;
using RecurrentKif.Actors.Pipeline;
using RecurrentKif.Actors.Tensors;

namespace RecurrentKif.Actors.Stages;

/// <summary>
/// Collects the ranks' <see cref="ImportanceMeasured"/> of one cycle for the aggregator. A learner (or learner group)
/// has one cycle in flight at a time, so a measurement of another cycle or attempt from the same learner means the
/// gathered ones belong to an abandoned attempt: their tensors are released, as when the learner (a learner group's
/// attempt actor) stops.
/// </summary>
internal sealed class RankGather(TensorStore store)
{
    private sealed record Pending((int Task, int Step, Guid Attempt) Cycle, ImportanceMeasured?[] Ranks);

    private readonly Dictionary<IActorRef, Pending> _pending = [];

    /// <summary>All ranks of the cycle in rank order once the last one arrived; null while some are missing.</summary>
    public IReadOnlyList<ImportanceMeasured>? Add(ImportanceMeasured m)
    {
        var ranks = m.Cycle.Ranks;
        if (ranks.Count < 1 || ranks.Rank < 0 || ranks.Rank >= ranks.Count)
            throw new ArgumentException($"rank {ranks.Rank} of {ranks.Count} is no rank");
        var key = (m.Cycle.TaskIndex, m.Cycle.Step, ranks.Attempt);
        if (_pending.TryGetValue(m.Cycle.Learner, out var pending) && (pending.Cycle != key || pending.Ranks.Length != ranks.Count))
        {
            Release(pending);
            _pending.Remove(m.Cycle.Learner);
            pending = null;
        }
        if (ranks.Count == 1) return [m];
        if (pending is null) _pending[m.Cycle.Learner] = pending = new Pending(key, new ImportanceMeasured?[ranks.Count]);
        if (pending.Ranks[ranks.Rank] is { } twice) Release(twice);
        pending.Ranks[ranks.Rank] = m;
        if (pending.Ranks.Any(r => r is null)) return null;
        _pending.Remove(m.Cycle.Learner);
        return pending.Ranks.Select(r => r!).ToList();
    }

    /// <summary>Releases what <paramref name="learner"/> sent (it stopped: a learner group's abandoned attempt).</summary>
    public void Drop(IActorRef learner)
    {
        if (_pending.Remove(learner, out var pending)) Release(pending);
    }

    /// <summary>Releases every gathered measurement (the aggregator stops).</summary>
    public void Clear()
    {
        foreach (var pending in _pending.Values) Release(pending);
        _pending.Clear();
    }

    private void Release(Pending pending)
    {
        foreach (var m in pending.Ranks) if (m is not null) Release(m);
    }

    private void Release(ImportanceMeasured m) =>
        store.ReleaseAll(m.Cycle.Theta.Concat(m.Cycle.Reference).Concat(m.Cycle.AfterInner).Concat(m.InnerScores).Concat(m.OuterScores));
}

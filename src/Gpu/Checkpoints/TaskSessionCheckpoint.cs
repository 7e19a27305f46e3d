using System.Globalization;
using System.Text.Json;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Data;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Checkpoints;

/// <summary>
/// Everything needed to continue training a task exactly where it stopped (docs/architecture.md §6 and §7):
/// LoRA θ, θ_ref, the best candidate, the AdamW state(s) with the schedule position, every importance tracker,
/// the step counter (which is the data cursor: epoch orders derive from the seed), the memory sampler's and
/// libtorch's RNG states, and the task's running statistics. Restoring into a freshly started session of the same
/// plan makes the rest of the task bit-identical to an uninterrupted run on CPU.
/// </summary>
public static class TaskSessionCheckpoint
{
    private const int FormatVersion = 1;

    private sealed record State(
        int Version, string Task, int Step, int TotalSteps, int OuterStepsTaken, long Tokens, double Seconds,
        double? BestLoss, int BestStep, double[] Losses, MaskShares[] FusionShares, string[] MemoryRandom,
        TrackerState Inner, TrackerState Outer, TrackerState? WholeTask, bool HasReference, bool HasBest, bool HasOuterOptimizer,
        // Added later: absent (null) in older checkpoints, which therefore stay readable. JSON has no NaN, hence double?.
        double?[]? FirstTokenLosses = null, ValidationState[]? Validations = null);

    private sealed record ValidationState(int Step, double? Loss, double? FirstTokenAccuracy);

    private static double? NullIfNaN(double value) => double.IsNaN(value) ? null : value;

    private sealed record TrackerState(bool Empty, int Updates, int Skipped);

    public static CheckpointReference Save(TaskSession session, string path)
    {
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var owned = new List<Tensor>();
        try
        {
            void Add(string prefix, IReadOnlyList<Tensor>? list)
            {
                if (list is null) return;
                for (int i = 0; i < list.Count; i++) tensors[$"{prefix}.{i:D4}"] = list[i];
            }
            Tensor Own(Tensor t) { owned.Add(t); return t; }
            Add("theta", session.Adapter.Parameters);
            Add("reference", session.Reference);
            Add("best", session.Best);
            var inner = AddTracker("inner", session.Inner, Add);
            var outer = AddTracker("outer", session.Outer, Add);
            var whole = session.WholeTask is null ? null : AddTracker("whole", session.WholeTask, Add);
            tensors["optimizer"] = Own(TensorBundle.FromBytes(session.Optimizer.SaveState()));
            if (session.OuterOptimizer is not null) tensors["outer_optimizer"] = Own(TensorBundle.FromBytes(session.OuterOptimizer.SaveState()));
            tensors["torch_rng"] = Own(get_rng_state());

            var memory = session.MemoryRandom.ExportState();
            var state = new State(FormatVersion, session.Plan.Name, session.Step, session.TotalSteps, session.OuterStepsTaken, session.Tokens,
                session.Seconds, double.IsFinite(session.BestLoss) ? session.BestLoss : null, session.BestStep, [.. session.Losses],
                [.. session.FusionShares], [.. new[] { memory.S0, memory.S1, memory.S2, memory.S3 }.Select(v => v.ToString(CultureInfo.InvariantCulture))],
                inner, outer, whole, session.Reference is not null, session.Best is not null, session.OuterOptimizer is not null,
                [.. session.FirstTokenLosses.Select(NullIfNaN)],
                [.. session.Validations.Select(v => new ValidationState(v.Step, NullIfNaN(v.Loss), NullIfNaN(v.FirstTokenAccuracy)))]);
            return TensorBundle.Save(path, tensors, JsonSerializer.Serialize(state));
        }
        finally
        {
            foreach (var t in owned) t.Dispose();
        }
    }

    private static TrackerState AddTracker(string prefix, ImportanceTracker tracker, Action<string, IReadOnlyList<Tensor>?> add)
    {
        if (tracker.State is { } state)
        {
            add($"{prefix}.smoothed", state.Smoothed);
            add($"{prefix}.uncertainty", state.Uncertainty);
        }
        return new TrackerState(tracker.IsEmpty, tracker.Updates, tracker.SkippedNanSteps);
    }

    /// <summary>Restores a checkpoint into a session just started from the same plan.</summary>
    public static void Restore(TaskSession session, CheckpointReference reference)
    {
        var (file, json) = TensorBundle.Open(reference);
        State state;
        try { state = JsonSerializer.Deserialize<State>(json) ?? throw new JsonException("empty state"); }
        catch (JsonException e) { throw new CheckpointException($"checkpoint {reference.Path}: unreadable state ({e.Message})", e); }
        if (state.Version != FormatVersion)
            throw new CheckpointException($"checkpoint {reference.Path} has format version {state.Version}; this build reads {FormatVersion}");
        if (state.Task != session.Plan.Name || state.TotalSteps != session.TotalSteps)
            throw new CheckpointException(
                $"checkpoint {reference.Path} belongs to task '{state.Task}' ({state.TotalSteps} steps), not '{session.Plan.Name}' ({session.TotalSteps} steps)");

        List<Tensor> Load(string prefix, int count) =>
            Enumerable.Range(0, count).Select(i => file.Load($"{prefix}.{i:D4}").to(session.Adapter.Parameters[i].device)).ToList();
        int n = session.Adapter.Parameters.Count;
        using (var theta = new DisposableList(Load("theta", n))) session.Adapter.CopyFrom(theta.Items);
        if (session.Reference is not null) foreach (var t in session.Reference) t.Dispose();
        session.Reference = state.HasReference ? Load("reference", n) : null;
        if (session.Best is not null) foreach (var t in session.Best) t.Dispose();
        session.Best = state.HasBest ? Load("best", n) : null;
        RestoreTracker(session.Inner, "inner", state.Inner, Load, n);
        RestoreTracker(session.Outer, "outer", state.Outer, Load, n);
        if (session.WholeTask is not null && state.WholeTask is not null) RestoreTracker(session.WholeTask, "whole", state.WholeTask, Load, n);
        using (var optimizer = file.Load("optimizer")) session.Optimizer.LoadState(TensorBundle.ToBytes(optimizer));
        if (session.OuterOptimizer is not null && state.HasOuterOptimizer)
            using (var outerOptimizer = file.Load("outer_optimizer")) session.OuterOptimizer.LoadState(TensorBundle.ToBytes(outerOptimizer));
        using (var rng = file.Load("torch_rng")) set_rng_state(rng);
        var memory = state.MemoryRandom.Select(v => ulong.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        session.MemoryRandom = SeededRandom.FromState(new SeededRandomState(memory[0], memory[1], memory[2], memory[3]));

        session.Step = state.Step;
        session.OuterStepsTaken = state.OuterStepsTaken;
        session.Tokens = state.Tokens;
        session.ElapsedBefore = state.Seconds;
        session.BestLoss = state.BestLoss ?? double.PositiveInfinity;
        session.BestStep = state.BestStep;
        session.Losses.Clear();
        session.Losses.AddRange(state.Losses);
        session.FirstTokenLosses.Clear();
        // An older checkpoint has no first-token losses: NaN keeps them step-aligned with the losses.
        session.FirstTokenLosses.AddRange(state.FirstTokenLosses?.Select(v => v ?? double.NaN) ?? state.Losses.Select(_ => double.NaN));
        session.Validations.Clear();
        session.Validations.AddRange((state.Validations ?? []).Select(v => new ValidationPoint(v.Step, v.Loss ?? double.NaN, v.FirstTokenAccuracy ?? double.NaN)));
        session.FusionShares.Clear();
        session.FusionShares.AddRange(state.FusionShares);
    }

    private static void RestoreTracker(ImportanceTracker tracker, string prefix, TrackerState state, Func<string, int, List<Tensor>> load, int count)
    {
        if (state.Empty)
        {
            tracker.Reset();
            return;
        }
        using var smoothed = new DisposableList(load($"{prefix}.smoothed", count));
        using var uncertainty = new DisposableList(load($"{prefix}.uncertainty", count));
        tracker.Restore(smoothed.Items, uncertainty.Items, state.Updates, state.Skipped);
    }
}

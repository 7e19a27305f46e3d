using System.Diagnostics;
using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Lora;
using RecurrentKif.Gpu.Models;
using RecurrentKif.Gpu.Training;
using Serilog;
using TorchSharp;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Continual;

/// <summary>
/// Trains the shared adapter on one task (ALGORITHM.md §3.5–3.7). Every optimizer step:
///   accumulate → clip → AdamW at lr(t) → [inner importance] → zero grads → t += 1.
/// With fusion on (Recurrent-KIF with a non-empty memory), every Q steps it then runs the outer learner on memory
/// batches, builds the two masks and fuses the cycle's task vectors into θ, which becomes the next reference.
/// Every EvalEvery steps (after fusion, so candidates are post-fusion) it measures validation loss and keeps the best
/// candidate; at the end θ is the best candidate (or the last step).
/// Fresh per task: optimizer, schedule and both trackers; the adapter is what carries over.
/// </summary>
public sealed class TaskTrainer(LlamaForCausalLM model, LoraAdapter adapter, ExampleEncoder encoder, int padId, ContinualSettings settings)
{
    public sealed record Plan(
        string Name,
        IReadOnlyList<TaskExample> Train,
        IReadOnlyList<TaskExample> Memory,
        IReadOnlyList<TaskExample> Validation,
        bool Fuse,
        ImportanceTracker? WholeTaskImportance,
        long Seed);

    public TaskTrainingStats Train(Plan plan, Action<TrainingProgress>? progress = null, CancellationToken cancellation = default)
    {
        var fineTune = settings.FineTune;
        var kif = settings.Kif;
        var encoded = plan.Train.Select(encoder.EncodeForTraining).ToArray();
        var memory = plan.Memory.Select(encoder.EncodeForTraining).ToArray();
        var validation = plan.Validation.Select(encoder.EncodeForTraining).ToArray();
        int totalSteps = fineTune.TotalSteps(encoded.Length);
        if (totalSteps == 0)
            throw new ArgumentException($"task {plan.Name}: {encoded.Length} examples make no optimizer step of {fineTune.BatchSize}");
        bool fuse = plan.Fuse && memory.Length > 0;
        var theta = adapter.Parameters;

        using var optimizer = new LoraOptimizer(model, adapter, settings.Optimizer, totalSteps);
        using var outerOptimizer = fuse && kif.OuterUpdate == OuterUpdateMode.SeparateAdamW
            ? new LoraOptimizer(model, adapter, settings.Optimizer with { LearningRate = kif.OuterLearningRate, WarmupSteps = 0 }, totalSteps)
            : null;
        using var inner = new ImportanceTracker("inner", kif.Beta1, kif.Beta2, kif.Score);
        using var outer = new ImportanceTracker("outer", kif.Beta1, kif.Beta2, kif.Score);
        var fusionTable = FusionWeightTable.For(kif.Fusion);
        var reference = fuse ? adapter.CloneParameters() : null;   // θ_b^(0)
        var memoryRng = new SeededRandom(SeededRandom.DeriveSeed(plan.Seed, 1));
        var sampler = new EpochSampler(encoded.Length, plan.Seed);
        double outerDivisor = kif.OuterLossDivisor ?? fineTune.AccumulationSteps;

        var shares = new List<MaskShares>();
        var losses = new List<double>(totalSteps);
        IReadOnlyList<Tensor>? best = null;
        double bestLoss = double.PositiveInfinity;
        int bestStep = 0, step = 0, outerSteps = 0;
        long tokens = 0;
        var clock = Stopwatch.StartNew();
        try
        {
            for (int epoch = 0; step < totalSteps; epoch++)
            {
                var microBatches = sampler.BatchesForEpoch(epoch, fineTune.MicroBatchSize);
                for (int first = 0; first + fineTune.AccumulationSteps <= microBatches.Count && step < totalSteps; first += fineTune.AccumulationSteps)
                {
                    cancellation.ThrowIfCancellationRequested();
                    // ---- inner learner: one optimizer step on the task ----
                    var batches = microBatches.Skip(first).Take(fineTune.AccumulationSteps)
                        .Select(ix => BatchCollator.Collate(ix.Select(i => encoded[i]).ToList(), padId, model.Device)).ToList();
                    double loss, lr;
                    try
                    {
                        loss = optimizer.AccumulateGradients(batches);
                        double norm = optimizer.ClipGradients();
                        if (!double.IsFinite(loss) || !double.IsFinite(norm))
                        {
                            optimizer.ZeroGradients();
                            throw new NonFiniteLossException(step, loss, norm);
                        }
                        lr = optimizer.ApplyScheduledStep();
                        if (fuse) inner.Update(theta);                       // post-step w, clipped g
                        plan.WholeTaskImportance?.Update(theta);
                        optimizer.ZeroGradients();
                        tokens += batches.Sum(b => b.RealTokenCount);
                    }
                    finally { foreach (var b in batches) b.Dispose(); }
                    step++;
                    losses.Add(loss);

                    // ---- every Q steps: outer learner on memory, then knowledge identification and fusion ----
                    if (fuse && step % kif.InnerSteps == 0)
                    {
                        using var afterInner = new DisposableList(adapter.CloneParameters());      // θ_b^(Q)
                        for (int o = 0; o < kif.OuterSteps; o++)
                        {
                            OuterStep(memory, memoryRng, outerDivisor, optimizer, outerOptimizer);
                            outer.Update(theta);
                            optimizer.ZeroGradients();
                            outerSteps++;
                        }
                        if (inner.IsEmpty || outer.IsEmpty)
                            Log.Warning("Task {Task} step {Step}: no importance (NaN gradients); fusion skipped this cycle", plan.Name, step);
                        else
                            shares.Add(FuseCycle(inner, outer, reference!, afterInner.Items, fusionTable));
                        foreach (var t in reference!) t.Dispose();
                        reference = adapter.CloneParameters();                                       // θ_{b+1}^(0)
                        if (kif.ResetInnerEachCycle) inner.Reset();
                        if (kif.ResetOuterEachCycle) outer.Reset();
                    }

                    // ---- checkpoint candidates (post-fusion) ----
                    if (settings.SelectBestByValidationLoss && validation.Length > 0 && step % settings.EvalEvery == 0)
                    {
                        double validationLoss = ValidationLoss(validation);
                        if (validationLoss < bestLoss)
                        {
                            bestLoss = validationLoss;
                            bestStep = step;
                            if (best is not null) foreach (var t in best) t.Dispose();
                            best = adapter.CloneParameters();
                        }
                    }
                    progress?.Invoke(new TrainingProgress(plan.Name, step, totalSteps, loss, lr, tokens / clock.Elapsed.TotalSeconds, clock.Elapsed));
                }
            }

            // The final state is a candidate too, so a task shorter than EvalEvery steps still ends on a measured choice.
            double? lastLoss = validation.Length > 0 ? ValidationLoss(validation) : null;
            int selected = step;
            if (settings.SelectBestByValidationLoss && best is not null && lastLoss is { } last && bestLoss < last)
            {
                adapter.CopyFrom(best);
                selected = bestStep;
                Log.Information("Task {Task}: best validation loss {Best:F4} at step {BestStep} (last step {Last:F4}); using step {BestStep}",
                    plan.Name, bestLoss, bestStep, last, bestStep);
            }
            double? bestOverall = lastLoss is null ? null : Math.Min(bestLoss, lastLoss.Value);
            return new TaskTrainingStats(plan.Name, step, outerSteps, shares, bestOverall, lastLoss, selected, tokens, clock.Elapsed.TotalSeconds, losses);
        }
        finally
        {
            if (reference is not null) foreach (var t in reference) t.Dispose();
            if (best is not null) foreach (var t in best) t.Dispose();
        }
    }

    /// <summary>
    /// One outer step: a fresh random permutation of the memory, its first min(B_out, |M|) examples, the same loss
    /// divided by the accumulation factor, clipping, then the update the outer mode prescribes (§7.2).
    /// </summary>
    private void OuterStep(EncodedExample[] memory, SeededRandom rng, double divisor, LoraOptimizer optimizer, LoraOptimizer? separate)
    {
        int[] order = Enumerable.Range(0, memory.Length).ToArray();
        rng.Shuffle(order);
        var chosen = order.Take(Math.Min(settings.Kif.OuterBatchSize, memory.Length)).Select(i => memory[i]).ToList();
        using var batch = BatchCollator.Collate(chosen, padId, model.Device);
        model.train();
        using (var scope = NewDisposeScope())
        {
            var loss = CausalLmLoss.Compute(model, batch) / divisor;
            loss.backward();
        }
        optimizer.ClipGradients();
        switch (settings.Kif.OuterUpdate)
        {
            case OuterUpdateMode.SharedInnerAdam:
                // The task's AdamW at its current rate; the scheduler only counts inner steps.
                optimizer.ApplyStep(optimizer.Schedule.LearningRateAt(optimizer.StepsTaken));
                break;
            case OuterUpdateMode.SeparateAdamW:
                separate!.ApplyStep(settings.Kif.OuterLearningRate);
                break;
            case OuterUpdateMode.Frozen:
                break; // LR 0: θ stays, the gradient only feeds the outer importance
        }
    }

    private MaskShares FuseCycle(ImportanceTracker inner, ImportanceTracker outer, IReadOnlyList<Tensor> reference,
        IReadOnlyList<Tensor> afterInner, FusionWeightTable table)
    {
        var kif = settings.Kif;
        using var inScores = new DisposableList(inner.Scores());
        using var outScores = new DisposableList(outer.Scores());
        var (inMasks, _) = QuantileMask.Build(inScores.Items, kif.Quantile, kif.GlobalQuantile);
        var (outMasks, _) = QuantileMask.Build(outScores.Items, kif.Quantile, kif.GlobalQuantile);
        using var inMaskList = new DisposableList(inMasks);
        using var outMaskList = new DisposableList(outMasks);
        return KnowledgeFusion.Fuse(adapter.Parameters, reference, afterInner, inMasks, outMasks, table);
    }

    /// <summary>Mean label cross-entropy over the validation examples, in eval mode without gradients.</summary>
    public double ValidationLoss(IReadOnlyList<EncodedExample> validation)
    {
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var _ = no_grad();
            double total = 0;
            foreach (var chunk in validation.Chunk(settings.FineTune.MicroBatchSize))
            {
                using var batch = BatchCollator.Collate(chunk, padId, model.Device);
                using var loss = CausalLmLoss.Compute(model, batch);
                total += loss.item<float>() * chunk.Length;
            }
            return total / validation.Count;
        }
        finally { if (wasTraining) model.train(); }
    }
}

using System.Diagnostics;
using RecurrentKif.Gpu.Checkpoints;
using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Lora;
using RecurrentKif.Gpu.Models;
using RecurrentKif.Gpu.Training;
using Serilog;
using TorchSharp;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Continual;

/// <summary>What one task's training is given: its data, the replay memory, the validation set and the switches.</summary>
public sealed record TaskPlan(
    string Name,
    IReadOnlyList<TaskExample> Train,
    IReadOnlyList<TaskExample> Memory,
    IReadOnlyList<TaskExample> Validation,
    bool Fuse,
    bool TrackWholeTaskImportance,
    long Seed)
{
    /// <summary>Which share of every batch this learner trains on (the whole batch unless data-parallel, docs/algorithm.md §3.9).</summary>
    public DataShard Shard { get; init; } = DataShard.Whole;

    /// <summary>
    /// The compute-matched control: with <see cref="Fuse"/> off, still run Recurrent-KIF's outer (memory) steps at every
    /// cycle end, but never identify or fuse; θ simply continues. Same optimizer steps as Recurrent-KIF, no fusion.
    /// </summary>
    public bool ReplayWithoutFusion { get; init; }
}

/// <summary>
/// The state of training one task, advanced one stage at a time (inner step, outer step, identification, fusion,
/// validation) so that both the plain loop (<see cref="TaskTrainer"/>) and the actor pipeline drive the same code.
/// Fresh per task: optimizer, schedule and trackers; the adapter is what carries over between tasks.
/// Everything needed to continue is in <see cref="TaskSessionCheckpoint"/>, taken at any step boundary.
/// </summary>
public sealed class TaskSession : IDisposable
{
    private readonly ILanguageModel _model;
    private readonly LoraAdapter _adapter;
    private readonly IExampleEncoder _encoder;
    private readonly ContinualSettings _settings;
    private readonly EncodedExample[] _train, _memory, _validation;
    private readonly EpochSampler _sampler;
    private readonly double _outerDivisor;
    private readonly Stopwatch _clock = new();
    private IReadOnlyList<int[]>? _epochBatches;
    private int _epochOfBatches = -1;

    internal LoraOptimizer Optimizer { get; }
    internal LoraOptimizer? OuterOptimizer { get; }
    internal ImportanceTracker Inner { get; }
    internal ImportanceTracker Outer { get; }
    internal ImportanceTracker? WholeTask { get; }
    internal SeededRandom MemoryRandom { get; set; }
    /// <summary>θ_b^(0): the weights at the start of the current cycle (null when the task does not fuse).</summary>
    public IReadOnlyList<Tensor>? Reference { get; internal set; }
    internal IReadOnlyList<Tensor>? Best { get; set; }

    public TaskPlan Plan { get; }
    public bool Fuses { get; }
    /// <summary>True when cycle ends happen (with outer steps): the task fuses, or it is the compute-matched control.</summary>
    public bool HasCycles { get; }
    public int TotalSteps { get; }
    public int Step { get; internal set; }
    public int OuterStepsTaken { get; internal set; }
    /// <summary>How many outer steps fed the historical importance so far this task (fewer than outer steps with − DIE).</summary>
    public int OuterImportanceUpdates => Outer.Updates;
    public long Tokens { get; internal set; }
    public double BestLoss { get; internal set; } = double.PositiveInfinity;
    public int BestStep { get; internal set; }
    public double ElapsedBefore { get; internal set; }
    public List<double> Losses { get; } = [];
    /// <summary>Per inner step, the loss of the answer's first token (the decision), next to <see cref="Losses"/>.</summary>
    public List<double> FirstTokenLosses { get; } = [];
    /// <summary>Every <see cref="ValidateCandidate"/> so far: step, loss and first-token accuracy.</summary>
    public List<ValidationPoint> Validations { get; } = [];
    public List<MaskShares> FusionShares { get; } = [];
    public bool IsFinished => Step >= TotalSteps;
    /// <summary>
    /// True right after an inner step that ends a cycle (every Q steps, only with a non-empty memory). With global
    /// merging the only cycle end is the task's last step, and only if the task has at least one whole cycle.
    /// </summary>
    public bool CycleDue => HasCycles && Step > 0 && (_settings.Kif.GlobalMerge
        ? Step == TotalSteps && CyclesPerTask > 0
        : Step % _settings.Kif.InnerSteps == 0);
    public LoraAdapter Adapter => _adapter;
    /// <summary>The Recurrent-KIF settings the cycle end's pure steps (identification, weighting) read.</summary>
    public KifSettings Kif => _settings.Kif;
    /// <summary>M_out; with global merging, every cycle's outer steps at once (M_out × ⌊N / Q⌋), so compute matches.</summary>
    public int OuterStepsPerCycle => _settings.Kif.GlobalMerge ? _settings.Kif.OuterSteps * CyclesPerTask : _settings.Kif.OuterSteps;
    /// <summary>⌊N / Q⌋: the cycles recurrent fusion would run (steps after the last multiple of Q are not fused).</summary>
    public int CyclesPerTask => TotalSteps / _settings.Kif.InnerSteps;

    public TaskSession(ILanguageModel model, LoraAdapter adapter, IExampleEncoder encoder, ContinualSettings settings, TaskPlan plan)
    {
        _model = model;
        _adapter = adapter;
        _encoder = encoder;
        _settings = settings;
        Plan = plan;
        _train = plan.Train.Select(encoder.EncodeForTraining).ToArray();
        _memory = plan.Memory.Select(encoder.EncodeForTraining).ToArray();
        _validation = plan.Validation.Select(encoder.EncodeForTraining).ToArray();
        TotalSteps = settings.FineTune.TotalSteps(_train.Length);
        if (TotalSteps == 0)
            throw new ArgumentException($"task {plan.Name}: {_train.Length} examples make no optimizer step of {settings.FineTune.BatchSize}");
        Fuses = plan.Fuse && _memory.Length > 0;
        HasCycles = (plan.Fuse || plan.ReplayWithoutFusion) && _memory.Length > 0;
        var kif = settings.Kif;
        Optimizer = new LoraOptimizer(model, adapter, settings.Optimizer, TotalSteps);
        if (HasCycles && kif.OuterUpdate == OuterUpdateMode.SeparateAdamW)
            OuterOptimizer = new LoraOptimizer(model, adapter, settings.Optimizer with { LearningRate = kif.OuterLearningRate, WarmupSteps = 0 }, TotalSteps);
        Inner = new ImportanceTracker("inner", kif.Beta1, kif.Beta2, kif.Score);
        Outer = new ImportanceTracker("outer", kif.Beta1, kif.Beta2, kif.Score);
        if (plan.TrackWholeTaskImportance) WholeTask = new ImportanceTracker("whole-task", kif.Beta1, kif.Beta2, kif.Score);
        _outerDivisor = kif.OuterLossDivisor ?? settings.FineTune.AccumulationSteps;
        _sampler = new EpochSampler(_train.Length, plan.Seed);
        MemoryRandom = new SeededRandom(SeededRandom.DeriveSeed(plan.Seed, 1));
        Reference = Fuses ? adapter.CloneParameters() : null;
    }

    /// <summary>What <see cref="SettingsChecks"/> finds wrong with this task's settings (empty when nothing).</summary>
    public IReadOnlyList<string> SettingsProblems => SettingsChecks.For(Plan, _settings, TotalSteps);

    /// <summary>
    /// Logs each of <see cref="SettingsProblems"/> as a warning. Callers do so once, before the task's first step
    /// (not on a resume), so a task's warnings appear once in the log.
    /// </summary>
    public void WarnAboutSettings()
    {
        foreach (string problem in SettingsProblems) Log.Warning("{Problem}", problem);
    }

    /// <summary>
    /// Inner learner, one optimizer step on the task: accumulate over micro-batches → clip → AdamW at lr(t) →
    /// importance from the post-step weights and clipped gradients → zero grads. A non-finite loss applies nothing.
    /// </summary>
    public StepResult InnerStep()
    {
        if (IsFinished) throw new InvalidOperationException($"task {Plan.Name} is already trained ({TotalSteps} steps)");
        _clock.Start();
        var batches = MicroBatchesOf(Step).Select(ix => _encoder.Collate(ix.Select(i => _train[i]).ToList(), _model.Device)).ToList();
        try
        {
            var result = Optimizer.Step(batches, afterUpdate: () =>
            {
                if (Fuses) Inner.Update(_adapter.Parameters);   // post-step w, clipped g
                WholeTask?.Update(_adapter.Parameters);
            });
            Tokens += result.Tokens;
            Losses.Add(result.Loss);
            FirstTokenLosses.Add(result.FirstTokenLoss);
            Step++;
            return result;
        }
        finally
        {
            foreach (var b in batches) b.Dispose();
            _clock.Stop();
        }
    }

    // The data cursor is the step count: each epoch's order comes from (seed, epoch) alone, so step t's micro-batches
    // are the same whether the run was interrupted or not.
    private IEnumerable<int[]> MicroBatchesOf(int step)
    {
        int accumulation = _settings.FineTune.AccumulationSteps;
        int perEpoch = _settings.FineTune.StepsPerEpoch(_train.Length);
        int epoch = step / perEpoch;
        if (epoch != _epochOfBatches)
        {
            _epochBatches = _sampler.BatchesForEpoch(epoch, _settings.FineTune.MicroBatchSize);
            _epochOfBatches = epoch;
        }
        var microBatches = _epochBatches!.Skip(step % perEpoch * accumulation).Take(accumulation);
        return Plan.Shard.IsWhole ? microBatches : Plan.Shard.Slice(microBatches.SelectMany(b => b).ToArray(), _settings.FineTune.MicroBatchSize);
    }

    /// <summary>θ_b^(Q), the weights after the cycle's inner steps; the caller owns the copies.</summary>
    public IReadOnlyList<Tensor> SnapshotWeights() => _adapter.CloneParameters();

    /// <summary>
    /// Outer learner, one step: a fresh random permutation of the memory and its first min(B_out, |M|) examples,
    /// the same loss divided by the accumulation factor, clipping, the update the outer mode prescribes (docs/algorithm.md §7.2),
    /// then the outer importance from the post-step weights.
    /// </summary>
    public void OuterStep()
    {
        if (!HasCycles) throw new InvalidOperationException($"task {Plan.Name} has no memory to replay");
        _clock.Start();
        try
        {
            int[] order = Enumerable.Range(0, _memory.Length).ToArray();
            MemoryRandom.Shuffle(order);
            int[] drawn = order.Take(Math.Min(_settings.Kif.OuterBatchSize, _memory.Length)).ToArray();
            var chosen = (Plan.Shard.IsWhole ? drawn : Plan.Shard.Slice(drawn, drawn.Length).Single()).Select(i => _memory[i]).ToList();
            using var batch = _encoder.Collate(chosen, _model.Device);
            _model.Module.train();
            double lossValue;
            using (var scope = NewDisposeScope())
            {
                var loss = _model.Loss(batch) / _outerDivisor;
                if (FaultInjection.Fires("outer-nan")) loss = loss * double.NaN;
                loss.backward();
                lossValue = loss.item<float>();
            }
            double norm = Optimizer.ClipGradients();
            // As for the inner step: a non-finite loss or gradient touches neither θ, the optimizer state nor the outer
            // importance, and the caller (plain loop or pipeline) sees the same exception and reacts as it does there.
            if (!double.IsFinite(lossValue) || !double.IsFinite(norm))
            {
                Optimizer.ZeroGradients();
                throw new NonFiniteLossException(Step, lossValue, norm, $"outer step {OuterStepsTaken + 1} after inner step {Step}");
            }
            switch (_settings.Kif.OuterUpdate)
            {
                case OuterUpdateMode.SharedInnerAdam:
                    // The task's AdamW at its current rate; the scheduler counts inner steps only.
                    Optimizer.ApplyStep(Optimizer.Schedule.LearningRateAt(Optimizer.StepsTaken));
                    break;
                case OuterUpdateMode.SeparateAdamW:
                    OuterOptimizer!.ApplyStep(_settings.Kif.OuterLearningRate);
                    break;
                case OuterUpdateMode.Frozen:
                    break; // LR 0: θ stays, the gradient only feeds the outer importance
            }
            // "− DIE": historical importance is estimated in the task's first cycle only, then kept as it is.
            bool estimating = _settings.Kif.DynamicImportance || OuterStepsTaken < _settings.Kif.OuterSteps;
            if (Fuses && estimating) Outer.Update(_adapter.Parameters);
            Optimizer.ZeroGradients();
            OuterStepsTaken++;
        }
        finally { _clock.Stop(); }
    }

    /// <summary>Both trackers' scores, or null when a tracker has nothing (every update so far had NaN gradients).</summary>
    public (IReadOnlyList<Tensor> Inner, IReadOnlyList<Tensor> Outer)? ImportanceScores() =>
        Inner.IsEmpty || Outer.IsEmpty ? null : (Inner.Scores(), Outer.Scores());

    /// <summary>
    /// Records a fusion whose result the caller copied into θ (the library loop after <see cref="KnowledgeMerge"/>, the
    /// pipeline's learner when the merge arrives), and starts the next cycle: θ_ref ← θ, inner tracker reset (outer
    /// kept unless configured otherwise).
    /// </summary>
    public void CompleteFusion(MaskShares shares)
    {
        FusionShares.Add(shares);
        StartNextCycle();
    }

    /// <summary>Ends a cycle without fusing (no importance could be measured): only the reference and trackers move on.</summary>
    public void SkipFusion()
    {
        Log.Warning("Task {Task} step {Step}: no importance (NaN gradients); fusion skipped this cycle", Plan.Name, Step);
        StartNextCycle();
    }

    private void StartNextCycle()
    {
        CopyThetaInto(Reference!);
        if (_settings.Kif.ResetInnerEachCycle) Inner.Reset();
        if (_settings.Kif.ResetOuterEachCycle) Outer.Reset();
    }

    // θ_ref and the best candidate are overwritten in place rather than freed and cloned: same values, no allocation.
    private void CopyThetaInto(IReadOnlyList<Tensor> copy)
    {
        using var _ = no_grad();
        for (int i = 0; i < copy.Count; i++) copy[i].copy_(_adapter.Parameters[i]);
    }

    /// <summary>
    /// True when this step is a checkpoint candidate: every EvalEvery steps (after any fusion of that step). With
    /// global merging only the task end is merged, so a mid-task candidate would let selection skip the merge: none.
    /// </summary>
    public bool ValidationDue => _settings.SelectBestByValidationLoss && _validation.Length > 0 && Step % _settings.EvalEvery == 0
                                 && !(Fuses && _settings.Kif.GlobalMerge);

    /// <summary>
    /// Measures validation loss (and, from the same pass, first-token accuracy, recorded in <see cref="Validations"/>)
    /// and keeps θ as the best candidate when the loss is the lowest so far.
    /// </summary>
    public double ValidateCandidate()
    {
        var (loss, firstTokenAccuracy) = Validate(_validation);
        Validations.Add(new ValidationPoint(Step, loss, firstTokenAccuracy));
        Log.Information("Task {Task} step {Step}: validation loss {Loss:F4}, first-token accuracy {Accuracy:P1}", Plan.Name, Step, loss, firstTokenAccuracy);
        if (loss < BestLoss)
        {
            BestLoss = loss;
            BestStep = Step;
            if (Best is null) Best = _adapter.CloneParameters();
            else CopyThetaInto(Best);
        }
        return loss;
    }

    /// <summary>
    /// Ends the task: the final state is a candidate too (so a task shorter than EvalEvery steps still ends on a
    /// measured choice), and θ becomes the best candidate when selection is on.
    /// </summary>
    public TaskTrainingStats Finish()
    {
        double? lastLoss = _validation.Length > 0 ? ValidationLoss() : null;
        int selected = Step;
        if (_settings.SelectBestByValidationLoss && Best is not null && lastLoss is { } last && BestLoss < last)
        {
            _adapter.CopyFrom(Best);
            selected = BestStep;
            Log.Information("Task {Task}: best validation loss {Best:F4} at step {BestStep} (last step {Last:F4}); using step {BestStep}",
                Plan.Name, BestLoss, BestStep, last, BestStep);
        }
        double? bestOverall = lastLoss is null ? null : Math.Min(BestLoss, lastLoss.Value);
        return new TaskTrainingStats(Plan.Name, Step, OuterStepsTaken, FusionShares.ToList(), bestOverall, lastLoss, selected, Tokens,
            ElapsedBefore + _clock.Elapsed.TotalSeconds, Losses.ToList())
        {
            FirstTokenLosses = FirstTokenLosses.ToArray(),
            Validations = Validations.ToArray(),
        };
    }

    public double Seconds => ElapsedBefore + _clock.Elapsed.TotalSeconds;

    /// <summary>Progress after the latest step, with the cycle it belongs to when the task fuses.</summary>
    public TrainingProgress Progress(StepResult step)
    {
        int q = _settings.Kif.InnerSteps;
        return new TrainingProgress(Plan.Name, Step, TotalSteps, step.Loss, step.LearningRate, Tokens / Math.Max(1e-9, Seconds),
            TimeSpan.FromSeconds(Seconds), Fuses ? (Step - 1) / q + 1 : 0, Fuses ? (TotalSteps + q - 1) / q : 0, step.FirstTokenLoss,
            step.GradNorm, step.Tokens);
    }

    /// <summary>Mean label cross-entropy over the validation examples, in eval mode without gradients.</summary>
    public double ValidationLoss() => ValidationLoss(_validation);

    public double ValidationLoss(IReadOnlyList<EncodedExample> examples) => Validate(examples).Loss;

    /// <summary>
    /// Mean label cross-entropy over the examples and the teacher-forced first-answer-token accuracy, from one
    /// forward pass per chunk, in eval mode without gradients.
    /// </summary>
    public (double Loss, double FirstTokenAccuracy) Validate(IReadOnlyList<EncodedExample> examples)
    {
        bool wasTraining = _model.Module.training;
        _model.Module.eval();
        try
        {
            using var _ = no_grad();
            double total = 0;
            var decision = new DecisionStats();
            foreach (var chunk in examples.Chunk(_settings.FineTune.MicroBatchSize))
            {
                using var batch = _encoder.Collate(chunk, _model.Device);
                using var terms = _model.LossWithDecision(batch);
                total += terms.Mean.item<float>() * chunk.Length;
                decision += terms.ReadDecision();
            }
            return (total / examples.Count, decision.Accuracy);
        }
        finally { if (wasTraining) _model.Module.train(); }
    }

    public void Dispose()
    {
        Optimizer.Dispose();
        OuterOptimizer?.Dispose();
        Inner.Dispose();
        Outer.Dispose();
        WholeTask?.Dispose();
        if (Reference is not null) foreach (var t in Reference) t.Dispose();
        if (Best is not null) foreach (var t in Best) t.Dispose();
    }
}

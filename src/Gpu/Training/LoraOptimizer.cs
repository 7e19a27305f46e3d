using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Lora;
using RecurrentKif.Gpu.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Training;

/// <summary>What one optimizer step did.</summary>
/// <param name="FirstTokenLoss">Mean cross-entropy of the first answer token (the decision), NaN when no example had one.</param>
public sealed record StepResult(int Step, double Loss, double GradNorm, double LearningRate, long Tokens, long LabelTokens,
    double FirstTokenLoss = double.NaN);

/// <summary>
/// AdamW over the LoRA parameters θ with global-norm clipping and the linear warm-up/decay schedule.
/// One optimizer step = gradients accumulated over micro-batches (each loss divided by their count, i.e. the
/// gradient of the mean loss, as HF gradient accumulation does) → clip → AdamW at lr(t) → zero grads.
/// The phases are public because Recurrent-KIF reads the clipped gradients and post-step weights between them.
/// </summary>
public sealed class LoraOptimizer : IDisposable
{
    private readonly ILanguageModel _model;
    private readonly AdamW _adamW;
    private readonly OptimizerSettings _settings;

    public LoraAdapter Adapter { get; }
    public LinearWarmupSchedule Schedule { get; }
    /// <summary>Optimizer steps taken so far: the scheduler's t.</summary>
    public int StepsTaken { get; private set; }

    public LoraOptimizer(ILanguageModel model, LoraAdapter adapter, OptimizerSettings settings, int totalSteps)
    {
        settings.Validate();
        if (totalSteps <= 0) throw new ArgumentException($"total steps must be > 0 (got {totalSteps})");
        _model = model;
        _settings = settings;
        Adapter = adapter;
        Schedule = new LinearWarmupSchedule(settings.LearningRate, settings.WarmupSteps, totalSteps);
        _adamW = optim.AdamW(adapter.Parameters, settings.LearningRate, settings.Beta1, settings.Beta2,
            settings.Epsilon, settings.WeightDecay);
    }

    /// <summary>Runs forward and backward on each micro-batch; returns the mean loss.</summary>
    public double AccumulateGradients(IReadOnlyList<IModelBatch> microBatches) => Accumulate(microBatches).Loss;

    // The first answer token's numbers come from the same forward passes; they are summed over all rows of the step.
    private (double Loss, DecisionStats Decision) Accumulate(IReadOnlyList<IModelBatch> microBatches)
    {
        if (microBatches.Count == 0) throw new ArgumentException("an optimizer step needs at least one micro-batch");
        _model.Module.train();
        double total = 0;
        var decision = new DecisionStats();
        foreach (var batch in microBatches)
        {
            using var scope = NewDisposeScope();
            var terms = _model.LossWithDecision(batch);
            var loss = terms.Mean / microBatches.Count;
            loss.backward();
            total += loss.item<float>();
            decision += terms.ReadDecision();
        }
        return (total, decision);
    }

    /// <summary>Clips the global L2 norm of θ's gradients to the configured maximum; returns the norm before clipping.</summary>
    public double ClipGradients() => nn.utils.clip_grad_norm_(Adapter.Parameters, _settings.MaxGradNorm);

    /// <summary>Applies AdamW at the schedule's current learning rate and advances the schedule.</summary>
    public double ApplyScheduledStep()
    {
        double lr = Schedule.LearningRateAt(StepsTaken);
        ApplyStep(lr);
        StepsTaken++;
        return lr;
    }

    /// <summary>Applies AdamW at an explicit learning rate without advancing the schedule (the outer learner's steps).</summary>
    public void ApplyStep(double learningRate)
    {
        foreach (var group in _adamW.ParamGroups) group.LearningRate = learningRate;
        _adamW.step();
    }

    public void ZeroGradients() => _adamW.zero_grad();

    /// <summary>AdamW's moments and step counts plus the schedule position, for a checkpoint.</summary>
    public byte[] SaveState()
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(StepsTaken);
            _adamW.save_state_dict(writer);
        }
        return buffer.ToArray();
    }

    /// <summary>Restores what <see cref="SaveState"/> wrote (same parameters in the same order).</summary>
    public void LoadState(byte[] state)
    {
        using var reader = new BinaryReader(new MemoryStream(state));
        StepsTaken = reader.ReadInt32();
        _adamW.load_state_dict(reader);
    }

    /// <summary>
    /// The usual step: accumulate, clip, scheduled AdamW, then <paramref name="afterUpdate"/> (where the clipped
    /// gradients and post-step weights are both still there, as importance tracking needs), then zero grads.
    /// A non-finite loss or gradient norm applies nothing.
    /// </summary>
    public StepResult Step(IReadOnlyList<IModelBatch> microBatches, Action? afterUpdate = null)
    {
        var (loss, decision) = Accumulate(microBatches);
        double norm = ClipGradients();
        if (!double.IsFinite(loss) || !double.IsFinite(norm))
        {
            ZeroGradients();
            throw new NonFiniteLossException(StepsTaken, loss, norm);
        }
        int step = StepsTaken;
        double lr = ApplyScheduledStep();
        afterUpdate?.Invoke();
        ZeroGradients();
        return new StepResult(step, loss, norm, lr,
            microBatches.Sum(b => b.RealTokenCount), microBatches.Sum(b => b.LabelTokenCount), decision.Loss);
    }

    public void Dispose() => _adamW.Dispose();
}

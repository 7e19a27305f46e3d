using System.Diagnostics;
using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Lora;
using RecurrentKif.Gpu.Models;

namespace RecurrentKif.Gpu.Training;

/// <summary>
/// Plain LoRA fine-tuning on one task: shuffle per epoch (seeded), micro-batches with gradient accumulation,
/// AdamW with warm-up/decay and clipping. This is the inner learner without any of Recurrent-KIF's fusion.
/// </summary>
public sealed class LoraFineTuner(LlamaForCausalLM model, LoraAdapter adapter, ExampleEncoder encoder, int padId)
{
    public IReadOnlyList<StepResult> Train(
        IReadOnlyList<TaskExample> examples, FineTuneSettings settings, OptimizerSettings optimizerSettings,
        Action<TrainingProgress>? progress = null, CancellationToken cancellation = default)
    {
        settings.Validate();
        if (examples.Count == 0) throw new ArgumentException("there are no training examples");
        var encoded = examples.Select(encoder.EncodeForTraining).ToArray();
        int totalSteps = settings.TotalSteps(examples.Count);
        if (totalSteps == 0)
            throw new ArgumentException($"{examples.Count} examples make no full optimizer step of {settings.BatchSize}; lower the batch size");
        using var optimizer = new LoraOptimizer(model, adapter, optimizerSettings, totalSteps);
        var sampler = new EpochSampler(examples.Count, settings.Seed);
        var results = new List<StepResult>(totalSteps);
        var clock = Stopwatch.StartNew();
        long tokens = 0;
        for (int epoch = 0; results.Count < totalSteps; epoch++)
        {
            var microBatches = sampler.BatchesForEpoch(epoch, settings.MicroBatchSize);
            for (int first = 0; first + settings.AccumulationSteps <= microBatches.Count && results.Count < totalSteps; first += settings.AccumulationSteps)
            {
                cancellation.ThrowIfCancellationRequested();
                var batches = microBatches.Skip(first).Take(settings.AccumulationSteps)
                    .Select(indices => BatchCollator.Collate(indices.Select(i => encoded[i]).ToList(), padId, model.Device))
                    .ToList();
                try
                {
                    var result = optimizer.Step(batches);
                    results.Add(result);
                    tokens += result.Tokens;
                    progress?.Invoke(new TrainingProgress("train", results.Count, totalSteps, result.Loss, result.LearningRate,
                        tokens / Math.Max(1e-9, clock.Elapsed.TotalSeconds), clock.Elapsed));
                }
                finally
                {
                    foreach (var b in batches) b.Dispose();
                }
            }
        }
        return results;
    }
}

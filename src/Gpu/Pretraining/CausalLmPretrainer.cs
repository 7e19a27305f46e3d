using System.Diagnostics;
using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Models;
using RecurrentKif.Gpu.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Pretraining;

/// <summary>
/// Pretrains a LLaMA from scratch on one token stream, nanoGPT-style: every step takes <c>BatchSize</c> windows of
/// <c>BlockLength</c> tokens at seeded random offsets, full next-token loss, AdamW (β 0.9/0.95, weight decay 0.01),
/// gradient clipping at 1, linear warm-up and decay. Deterministic for a seed on CPU.
/// </summary>
public static class CausalLmPretrainer
{
    /// <summary>A model ready to train (random weights for <paramref name="config"/>, seeded by the settings).</summary>
    public static LlamaForCausalLM NewModel(LlamaConfig config, PretrainSettings settings)
    {
        Runtime.TorchRuntime.Seed(settings.Seed);
        var model = new LlamaForCausalLM(config, ScalarType.Float32, CPU);
        LlamaInitializer.InitializeRandom(model);
        foreach (var p in model.parameters()) p.requires_grad = true;
        return model;
    }

    /// <summary>Trains <paramref name="model"/> in place and returns every step's loss.</summary>
    public static IReadOnlyList<double> Train(LlamaForCausalLM model, long[] stream, PretrainSettings settings, string label,
        Action<TrainingProgress>? progress = null)
    {
        if (stream.Length <= settings.BlockLength)
            throw new ArgumentException($"the pretraining text is {stream.Length} tokens, shorter than one block of {settings.BlockLength}");
        var parameters = model.parameters().ToList();
        using var optimizer = optim.AdamW(parameters, settings.LearningRate, 0.9, 0.95, 1e-8, 0.01);
        var schedule = new LinearWarmupSchedule(settings.LearningRate, settings.WarmupSteps, settings.Steps);
        var rng = new SeededRandom(settings.Seed);
        var clock = Stopwatch.StartNew();
        var losses = new List<double>(settings.Steps);
        model.train();
        int stepsToRun = settings.StopAfter > 0 ? Math.Min(settings.StopAfter, settings.Steps) : settings.Steps;
        for (int step = 0; step < stepsToRun; step++)
        {
            using var scope = NewDisposeScope();
            var rows = new long[settings.BatchSize * settings.BlockLength];
            for (int row = 0; row < settings.BatchSize; row++)
                Array.Copy(stream, rng.NextInt(stream.Length - settings.BlockLength), rows, row * settings.BlockLength, settings.BlockLength);
            var ids = tensor(rows, [settings.BatchSize, settings.BlockLength]);
            using var batch = new TokenBatch(ids, ones_like(ids, ScalarType.Bool), ids.clone(),
                arange(settings.BlockLength).expand(settings.BatchSize, -1).clone(), rows.Length, rows.Length);
            var stepLoss = CausalLmLoss.Compute(model, batch);
            stepLoss.backward();
            nn.utils.clip_grad_norm_(parameters, 1.0);
            // Unlike LoRA fine-tuning, pretraining starts at a non-zero rate: lr(t + 1) skips the HF zero first step.
            foreach (var group in optimizer.ParamGroups) group.LearningRate = schedule.LearningRateAt(step + 1);
            optimizer.step();
            optimizer.zero_grad();
            double loss = stepLoss.item<float>();
            losses.Add(loss);
            if (!double.IsFinite(loss)) throw new NonFiniteLossException(step, loss, double.NaN);
            progress?.Invoke(new TrainingProgress(label, step + 1, settings.Steps, loss,
                schedule.LearningRateAt(step + 1), (step + 1.0) * rows.Length / clock.Elapsed.TotalSeconds, clock.Elapsed));
        }
        return losses;
    }
}

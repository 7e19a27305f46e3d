using System.Diagnostics;
using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Lora;
using RecurrentKif.Gpu.Models;
using RecurrentKif.Gpu.Training;
using static TorchSharp.torch;

namespace RecurrentKif.Bench;

/// <summary>One measured configuration and what it achieved.</summary>
public sealed record StepMeasurement(
    string Model, long Parameters, long LoraScalars, string BaseDtype, int Batch, int Length,
    double MillisecondsPerStep, double TokensPerSecond, double AchievedGflops, double MatmulGflops)
{
    /// <summary>Achieved FLOP/s with the 6·N·tokens convention, over the plain fp32 matmul rate.</summary>
    public double RatioToMatmul => AchievedGflops / MatmulGflops;
}

/// <summary>
/// Times one LoRA training step (forward, backward, clipping, AdamW over θ) on a fixed random batch of
/// Batch × Length tokens, all of them labels. FLOPs follow the usual 6·N·tokens estimate with N = all model
/// parameters; with a frozen base the true count is nearer 4·N (no weight gradients), so the ratio is generous
/// by that factor and comparable across runs and machines.
/// </summary>
public static class TrainingStepBenchmark
{
    public static StepMeasurement Measure(string name, LlamaForCausalLM model, int batch, int length, int steps, double matmulGflops)
    {
        var adapter = LoraAdapter.Attach(model, new LoraSettings());
        using var optimizer = new LoraOptimizer(model, adapter, new OptimizerSettings { WarmupSteps = 0 }, totalSteps: steps + 10);
        manual_seed(0);
        using var ids = randint(3, model.Config.VocabSize, [batch, length], dtype: ScalarType.Int64, device: model.Device);
        using var tokenBatch = new TokenBatch(ids.clone(), ones(batch, length, dtype: ScalarType.Bool, device: model.Device), ids.clone(),
            arange(length, device: model.Device).expand(batch, -1).clone(), batch * length, batch * length);
        for (int i = 0; i < 2; i++) optimizer.Step([tokenBatch]);
        var times = new List<double>();
        for (int i = 0; i < steps; i++)
        {
            var clock = Stopwatch.StartNew();
            optimizer.Step([tokenBatch]);
            if (model.Device.type == TorchSharp.DeviceType.CUDA) cuda.synchronize();
            times.Add(clock.Elapsed.TotalSeconds);
        }
        double seconds = MatmulBaseline.Median(times);
        long parameters = model.parameters().Sum(p => p.numel());
        double tokens = batch * length;
        double gflops = 6.0 * parameters * tokens / seconds / 1e9;
        return new StepMeasurement(name, parameters, adapter.ScalarCount, model.WeightDtype.ToString(), batch, length,
            seconds * 1000, tokens / seconds, gflops, matmulGflops);
    }
}

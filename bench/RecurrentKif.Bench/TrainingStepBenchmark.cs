using System.Text.Json.Nodes;
using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Lora;
using RecurrentKif.Gpu.Models;
using RecurrentKif.Gpu.Training;
using static TorchSharp.torch;

namespace RecurrentKif.Bench;

/// <summary>
/// Section 1: one LoRA training step (forward, backward, clipping, AdamW over θ) on a fixed random batch of
/// batch × length tokens, all of them labels, timed as the median of several steps; and the plain matmul rate
/// measured in the same process. FLOPs follow the usual 6·N·tokens estimate with N = all model parameters; with a
/// frozen base the true count is nearer 4·N (no weight gradients), so the ratio is generous by that factor and
/// comparable across runs and machines.
/// </summary>
public static class TrainingStepBenchmark
{
    public sealed record Case(string Model, string Dtype, int Batch, int Length);

    public static IReadOnlyList<Case> Cases(bool quick) =>
    [
        new("built-in", "fp32", 8, 256), new("built-in", "bf16", 8, 256),
        new("llama-10M", "fp32", 8, 256), new("llama-10M", "bf16", 8, 256),
        new("llama-50M", "fp32", quick ? 2 : 4, 256), new("llama-50M", "bf16", quick ? 2 : 4, 256),
    ];

    public static JsonObject RunChild(ChildArguments arguments)
    {
        var device = BenchDevice.Resolve(arguments);
        var dtype = arguments["dtype"] == "bf16" ? ScalarType.BFloat16 : ScalarType.Float32;
        int batch = arguments.Int("batch", 8), length = arguments.Int("length", 256), steps = arguments.Int("steps", 5);
        double matmulFp32 = MatmulBaseline.GigaflopsPerSecond(device, ScalarType.Float32);
        double matmulBf16 = MatmulBaseline.GigaflopsPerSecond(device, ScalarType.BFloat16);
        using var model = LlamaLoader.LoadFolder(arguments["folder"], dtype, device);
        var adapter = LoraAdapter.Attach(model, new LoraSettings());
        using var optimizer = new LoraOptimizer(model, adapter, new OptimizerSettings { WarmupSteps = 0 }, totalSteps: steps + 10);
        manual_seed(0);
        using var ids = randint(3, model.Config.VocabSize, [batch, length], dtype: ScalarType.Int64, device: device);
        using var tokenBatch = new TokenBatch(ids.clone(), ones(batch, length, dtype: ScalarType.Bool, device: device), ids.clone(),
            arange(length, device: device).expand(batch, -1).clone(), batch * length, batch * length);
        double seconds = Stats.MedianSeconds(steps, () => optimizer.Step([tokenBatch]), () => BenchDevice.Sync(device));
        long parameters = model.parameters().Sum(p => p.numel());
        double tokens = batch * length;
        double gflops = 6.0 * parameters * tokens / seconds / 1e9;
        var result = new JsonObject
        {
            ["model"] = arguments["model"], ["dtype"] = arguments["dtype"], ["device"] = device.ToString(), ["threads"] = get_num_threads(),
            ["parameters"] = parameters, ["loraScalars"] = adapter.ScalarCount, ["batch"] = batch, ["length"] = length, ["steps"] = steps,
            ["msPerStep"] = seconds * 1000, ["tokensPerSecond"] = tokens / seconds, ["achievedGflops"] = gflops,
            ["matmulFp32Gflops"] = matmulFp32, ["matmulBf16Gflops"] = matmulBf16, ["achievedOverMatmulFp32"] = gflops / matmulFp32,
            ["achievedOverMatmulSameDtype"] = gflops / (dtype == ScalarType.BFloat16 ? matmulBf16 : matmulFp32),
        };
        // MFU on a GPU whose data-sheet peak is known: the base's dtype decides which peak applies.
        if (device.type == TorchSharp.DeviceType.CUDA && GpuPeaks.FromEnvironment() is { } peak)
        {
            result["gpu"] = peak.Name;
            result["mfu"] = gflops / 1000 / (dtype == ScalarType.BFloat16 ? peak.Bf16Tflops : peak.Fp32Tflops);
        }
        return result;
    }
}

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
        new("t5-24M", "fp32", 8, 128), new("t5-24M", "bf16", 8, 128),
    ];

    public static JsonObject RunChild(ChildArguments arguments)
    {
        var device = BenchDevice.Resolve(arguments);
        var dtype = arguments["dtype"] == "bf16" ? ScalarType.BFloat16 : ScalarType.Float32;
        int batch = arguments.Int("batch", 8), length = arguments.Int("length", 256), steps = arguments.Int("steps", 5);
        double matmulFp32 = MatmulBaseline.GigaflopsPerSecond(device, ScalarType.Float32);
        double matmulBf16 = MatmulBaseline.GigaflopsPerSecond(device, ScalarType.BFloat16);
        bool t5 = BenchModels.IsT5(arguments["model"]);
        using ILanguageModel model = t5 ? BenchModels.BuildT5(arguments["model"], dtype, device) : LlamaLoader.LoadFolder(arguments["folder"], dtype, device);
        var adapter = model.AttachLora(new LoraSettings());
        using var optimizer = new LoraOptimizer(model, adapter, new OptimizerSettings { WarmupSteps = 0 }, totalSteps: steps + 10);
        manual_seed(0);
        using var batchOnDevice = t5 ? Seq2SeqBatchOf(batch, length, model.VocabSize, device) : CausalBatchOf(batch, length, model.VocabSize, device);
        double seconds = Stats.MedianSeconds(steps, () => optimizer.Step([batchOnDevice]), () => BenchDevice.Sync(device));
        // The baseline is what the machine can do: measured again after the steps, the faster of the two counts, so a
        // slow spell during one measurement does not inflate the ratios (it did: 111 instead of ≈ 180 GFLOP/s once).
        matmulFp32 = Math.Max(matmulFp32, MatmulBaseline.GigaflopsPerSecond(device, ScalarType.Float32));
        matmulBf16 = Math.Max(matmulBf16, MatmulBaseline.GigaflopsPerSecond(device, ScalarType.BFloat16));
        long parameters = model.Module.parameters().Sum(p => p.numel());
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

    /// <summary>batch × length random tokens, every one of them a label.</summary>
    private static IModelBatch CausalBatchOf(int batch, int length, long vocab, Device device)
    {
        using var ids = randint(3, vocab, [batch, length], dtype: ScalarType.Int64, device: device);
        return new TokenBatch(ids.clone(), ones(batch, length, dtype: ScalarType.Bool, device: device), ids.clone(),
            arange(length, device: device).expand(batch, -1).clone(), batch * length, batch * length);
    }

    /// <summary>
    /// batch sources and targets of length tokens each. The 6·N·T estimate counts T = batch × length target tokens:
    /// each is paired with a source token that passes through the encoder, as its target token passes the decoder.
    /// </summary>
    private static IModelBatch Seq2SeqBatchOf(int batch, int length, long vocab, Device device)
    {
        var sources = randint(3, vocab, [batch, length], dtype: ScalarType.Int64, device: device);
        var targets = randint(3, vocab, [batch, length], dtype: ScalarType.Int64, device: device);
        using var start = zeros(batch, 1, dtype: ScalarType.Int64, device: device);
        var decoderInput = cat([start, targets.narrow(1, 0, length - 1)], 1);
        return new Seq2SeqBatch(sources, ones(batch, length, dtype: ScalarType.Bool, device: device), decoderInput, targets,
            batch * length, 2L * batch * length);
    }
}

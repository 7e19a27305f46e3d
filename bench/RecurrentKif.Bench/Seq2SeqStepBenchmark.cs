using System.Diagnostics;
using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Models;
using RecurrentKif.Gpu.Models.T5;
using RecurrentKif.Gpu.Lora;
using RecurrentKif.Gpu.Training;
using static TorchSharp.torch;

namespace RecurrentKif.Bench;

/// <summary>
/// The T5 counterpart of <see cref="TrainingStepBenchmark"/>: one LoRA training step (q and v of every attention) on
/// a fixed random batch of Batch sources × SourceLength and targets × TargetLength. FLOPs: 6 · (encoder parameters ·
/// source tokens + (decoder parameters + output projection) · target tokens), the 6·N·tokens convention applied to
/// the stack each token actually passes through.
/// </summary>
public static class Seq2SeqStepBenchmark
{
    public static StepMeasurement Measure(string name, T5ForConditionalGeneration model, int batch, int sourceLength, int targetLength, int steps, double matmulGflops)
    {
        var adapter = ((ILanguageModel)model).AttachLora(new LoraSettings());
        using var optimizer = new LoraOptimizer(model, adapter, new OptimizerSettings { WarmupSteps = 0 }, totalSteps: steps + 10);
        var random = new Random(0);
        int vocab = model.Config.VocabSize;
        var pairs = Enumerable.Range(0, batch).Select(_ => new EncodedExample(
            Enumerable.Range(0, sourceLength).Select(_ => random.Next(3, vocab)).ToArray(),
            Enumerable.Range(0, targetLength).Select(_ => random.Next(3, vocab)).ToArray())).ToList();
        using var pairBatch = Seq2SeqBatchCollator.Collate(pairs, padId: 0, model.Config.DecoderStartTokenId, model.Device, Seq2SeqExampleEncoder.PadToMultipleOf);
        for (int i = 0; i < 2; i++) optimizer.Step([pairBatch]);
        var times = new List<double>();
        for (int i = 0; i < steps; i++)
        {
            var clock = Stopwatch.StartNew();
            optimizer.Step([pairBatch]);
            if (model.Device.type == TorchSharp.DeviceType.CUDA) cuda.synchronize();
            times.Add(clock.Elapsed.TotalSeconds);
        }
        double seconds = MatmulBaseline.Median(times);
        long Count(Func<string, bool> where) => model.named_parameters().Where(p => where(p.name) && !p.name.Contains(".lora_", StringComparison.Ordinal)).Sum(p => p.parameter.numel());
        long encoder = Count(n => n.StartsWith("encoder.", StringComparison.Ordinal));
        long decoder = Count(n => !n.StartsWith("encoder.", StringComparison.Ordinal));   // decoder stack, shared head / lm_head
        double flops = 6.0 * ((double)encoder * sourceLength + (double)decoder * targetLength) * batch;
        double tokens = batch * (sourceLength + targetLength);
        return new StepMeasurement(name, encoder + decoder, adapter.ScalarCount, model.WeightDtype.ToString(), batch, sourceLength + targetLength,
            seconds * 1000, tokens / seconds, flops / seconds / 1e9, matmulGflops);
    }

    /// <summary>Random weights at T5's initialisation scales (HF _init_weights, factor 1): O(1) inputs stay O(1).</summary>
    public static void InitializeRandom(T5ForConditionalGeneration model)
    {
        using var _ = no_grad();
        var c = model.Config;
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (name.EndsWith("layer_norm.weight", StringComparison.Ordinal)) parameter.fill_(1.0);
            else if (name.EndsWith(".q.weight", StringComparison.Ordinal)) parameter.normal_(0, Math.Pow(c.DModel * c.DKv, -0.5));
            else if (name.EndsWith(".k.weight", StringComparison.Ordinal) || name.EndsWith(".v.weight", StringComparison.Ordinal)) parameter.normal_(0, Math.Pow(c.DModel, -0.5));
            else if (name.EndsWith(".o.weight", StringComparison.Ordinal)) parameter.normal_(0, Math.Pow(c.InnerDim, -0.5));
            else if (name.Contains(".wo.", StringComparison.Ordinal)) parameter.normal_(0, Math.Pow(c.DFf, -0.5));
            else if (name.Contains(".wi", StringComparison.Ordinal)) parameter.normal_(0, Math.Pow(c.DModel, -0.5));
            else if (name.Contains("relative_attention_bias", StringComparison.Ordinal)) parameter.normal_(0, Math.Pow(c.DModel, -0.5));
            else parameter.normal_(0, 1.0); // shared / lm_head
        }
    }
}

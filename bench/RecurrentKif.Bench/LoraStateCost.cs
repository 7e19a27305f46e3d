using System.Text.Json.Nodes;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Lora;
using RecurrentKif.Gpu.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RecurrentKif.Bench;

/// <summary>
/// Section 3b: what Recurrent-KIF adds per cycle on top of the optimizer steps, measured on LoRA tensors of a model's
/// shapes — importance updates (one per inner and outer step), the two trackers' scores, the two quantile masks,
/// fusion (weights, θ ← θ_ref + w_in ⊙ τ_in + w_out ⊙ τ_out, mask counts) and the two copies of θ a cycle keeps
/// (θ_Q and the next θ_ref) — as seconds and as GB/s of LoRA state touched, against a plain copy of a tensor of the
/// same size (the memory-bandwidth bound these element-wise stages could reach).
/// </summary>
public static class LoraStateCost
{
    /// <summary>LLaMA-2-7B's shapes (hidden 4096, 32 layers, MHA): what the paper trains, as a larger LoRA state.</summary>
    public static readonly LlamaConfig Llama7BShapes = new()
    {
        VocabSize = 32000, HiddenSize = 4096, IntermediateSize = 11008, NumHiddenLayers = 32, NumAttentionHeads = 32,
        NumKeyValueHeads = 32, HeadDim = 128, MaxPositionEmbeddings = 4096, RmsNormEps = 1e-5, TieWordEmbeddings = false,
    };

    /// <summary>A, B of every targeted projection (q_proj: hidden → heads·d, v_proj: hidden → kv heads·d).</summary>
    public static IReadOnlyList<long[]> Shapes(LlamaConfig config, LoraSettings lora)
    {
        var shapes = new List<long[]>();
        for (int layer = 0; layer < config.NumHiddenLayers; layer++)
            foreach (string module in lora.TargetModules)
            {
                long output = module switch
                {
                    "q_proj" or "o_proj" => config.NumAttentionHeads * config.HeadDim,
                    "k_proj" or "v_proj" => config.NumKeyValueHeads * config.HeadDim,
                    _ => config.IntermediateSize,
                };
                shapes.Add([lora.Rank, config.HiddenSize]);
                shapes.Add([output, lora.Rank]);
            }
        return shapes;
    }

    public static JsonObject Measure(IReadOnlyList<long[]> shapes, Device device, int innerSteps, int outerSteps, int repeats)
    {
        var kif = new KifSettings();
        manual_seed(7);
        var theta = shapes.Select(s => new Parameter(randn(s, device: device) * 0.01)).ToList();
        using (var fake = NewDisposeScope())
            foreach (var p in theta) (p * randn_like(p)).sum().backward();   // gives every θ tensor a gradient
        long n = theta.Sum(p => p.numel());
        void Sync() => BenchDevice.Sync(device);

        using var tracker = new ImportanceTracker("bench", kif.Beta1, kif.Beta2, kif.Score);
        double update = Stats.MedianSeconds(repeats, () => tracker.Update(theta), Sync);
        double scores = Stats.MedianSeconds(repeats, () => { foreach (var s in tracker.Scores()) s.Dispose(); }, Sync);
        var scoreTensors = tracker.Scores();
        // Identification builds both masks in one call: half of it is one mask's cost.
        double masks = Stats.MedianSeconds(repeats, () => KnowledgeIdentification.Identify(scoreTensors, scoreTensors, kif).Dispose(), Sync) / 2;
        var flipped = scoreTensors.Select(s => s.flip(0)).ToList();
        var identified = KnowledgeIdentification.Identify(scoreTensors, flipped, kif);
        foreach (var t in flipped) t.Dispose();
        var (inMasks, outMasks) = (identified.In, identified.Out);
        var reference = theta.Select(p => p.detach().clone() * 0.9).ToList();
        var afterInner = theta.Select(p => p.detach().clone() * 1.1).ToList();
        // Fusion as the cycle end runs it: weights from the table, the merged θ, copied into the live parameters.
        double fusion = Stats.MedianSeconds(repeats, () =>
        {
            using var weights = FusionWeighting.Weigh(inMasks, outMasks, FusionWeightTable.For(kif));
            var fused = KnowledgeMerge.Merge(reference, afterInner, theta, weights.In, weights.Out);
            using var _ = no_grad();
            for (int i = 0; i < theta.Count; i++) theta[i].copy_(fused[i]);
            foreach (var t in fused) t.Dispose();
        }, Sync);
        double copies = Stats.MedianSeconds(repeats, () =>
        {
            foreach (var t in reference) t.Dispose();
            reference = theta.Select(p => p.detach().clone()).ToList();
        }, Sync);
        using var flat = randn(n, device: device);
        using var flatCopy = empty_like(flat);
        // A small state copies in microseconds: time 20 copies per sample so the clock's resolution does not show.
        double copy = Stats.MedianSeconds(repeats, () => { for (int i = 0; i < 20; i++) flatCopy.copy_(flat); }, Sync) / 20;

        // Bytes each stage must at least read and write (fp32 4 B, bool masks 1 B), per call.
        double updateBytes = 24.0 * n, scoresBytes = 12.0 * n, maskBytes = 5.0 * n, fusionBytes = 18.0 * n, cloneBytes = 8.0 * n;
        int updatesPerCycle = innerSteps + outerSteps;
        double cycleSeconds = updatesPerCycle * update + 2 * scores + 2 * masks + fusion + 2 * copies;
        double cycleBytes = updatesPerCycle * updateBytes + 2 * scoresBytes + 2 * maskBytes + fusionBytes + 2 * cloneBytes;
        double copyGbps = 2.0 * 4 * n / copy / 1e9;
        foreach (var t in scoreTensors.Concat(inMasks).Concat(outMasks).Concat(reference).Concat(afterInner)) t.Dispose();
        foreach (var p in theta) p.Dispose();
        return new JsonObject
        {
            ["loraScalars"] = n, ["loraTensors"] = shapes.Count, ["stateMb"] = 4.0 * n / 1e6,
            ["importanceUpdateMs"] = update * 1000, ["scoresMs"] = scores * 1000, ["masksMs"] = masks * 1000,
            ["fusionMs"] = fusion * 1000, ["thetaCopiesMs"] = copies * 1000,
            ["perCycleMs"] = cycleSeconds * 1000, ["perCycleGb"] = cycleBytes / 1e9,
            ["perCycleGbPerSecond"] = cycleBytes / cycleSeconds / 1e9,
            ["importanceUpdateGbPerSecond"] = updateBytes / update / 1e9, ["fusionGbPerSecond"] = fusionBytes / fusion / 1e9,
            ["plainCopyGbPerSecond"] = copyGbps, ["perCycleOverCopyBandwidth"] = cycleBytes / cycleSeconds / 1e9 / copyGbps,
        };
    }

    /// <summary>The child "lora-state": every bench model's LoRA shapes plus LLaMA-2-7B's.</summary>
    public static JsonObject RunChild(ChildArguments arguments)
    {
        var device = BenchDevice.Resolve(arguments);
        int repeats = arguments.Int("repeats", 5);
        var kif = new KifSettings();
        var shapes = new JsonObject();
        var configs = BenchModels.Configs.Append(new KeyValuePair<string, LlamaConfig>("llama-2-7b shapes", Llama7BShapes));
        foreach (var (name, config) in configs)
            shapes[name] = Measure(Shapes(config, new LoraSettings()), device, kif.InnerSteps, kif.OuterSteps, repeats);
        return new JsonObject { ["shapes"] = shapes };
    }
}

using System.Text.Json.Nodes;
using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Generation;
using RecurrentKif.Gpu.Lora;
using RecurrentKif.Gpu.Models;
using RecurrentKif.Gpu.Tokenization;
using static TorchSharp.torch;

namespace RecurrentKif.Bench;

/// <summary>
/// Section 4: evaluation throughput, generated tokens per second of greedy decoding on the Alpaca prompts of the
/// built-in tasks' evaluation examples (with a LoRA adapter attached, as evaluation runs): the KV cache against
/// re-running the whole sequence for every token, and one batch of prompts against one prompt at a time.
/// Weights are random, so rows rarely stop at EOS and every mode generates (nearly) the full length.
/// </summary>
public static class GenerationBenchmark
{
    public static JsonObject RunChild(ChildArguments arguments)
    {
        var device = BenchDevice.Resolve(arguments);
        int prompts = arguments.Int("prompts", 16), maxNew = arguments.Int("max-new-tokens", 16), repeats = arguments.Int("repeats", 3);
        string folder = arguments["folder"];
        var settings = ContinualCostBenchmark.Settings(1);
        var tasks = ContinualCostBenchmark.Tasks(arguments["data"], settings);
        using var model = LlamaLoader.LoadFolder(folder, ScalarType.Float32, device);
        var tokenizer = TokenizerLoader.FromModelFolder(folder);
        LoraAdapter.Attach(model, settings.Lora);
        var encoder = new ExampleEncoder(tokenizer, settings.FineTune.Cutoff, settings.FineTune.KeepAnswer);
        var promptIds = tasks.SelectMany(t => t.Evaluation).Take(prompts)
            .Select(e => (IReadOnlyList<int>)encoder.EncodePrompt(e, reserveForAnswer: maxNew)).ToList();

        long generated = 0;
        void Generate(int batch, bool cache)
        {
            generated = 0;
            foreach (var chunk in promptIds.Chunk(batch))
                generated += GreedyGenerator.Generate(model, chunk, maxNew, tokenizer.EosId, tokenizer.PadId, useCache: cache).Sum(o => o.Length);
        }
        var modes = new (string Name, int Batch, bool Cache)[]
        {
            ("cachedBatched", prompts, true), ("uncachedBatched", prompts, false), ("cachedOneByOne", 1, true),
        };
        var seconds = modes.ToDictionary(m => m.Name, _ => new List<double>());
        var tokens = new Dictionary<string, long>();
        Generate(prompts, cache: true); // warm-up (allocator, first-call costs)
        for (int r = 0; r < repeats; r++)
            foreach (var mode in r % 2 == 0 ? modes : modes.Reverse())
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                Generate(mode.Batch, mode.Cache);
                BenchDevice.Sync(device);
                seconds[mode.Name].Add(clock.Elapsed.TotalSeconds);
                tokens[mode.Name] = generated;
            }
        var result = new JsonObject
        {
            ["model"] = arguments["model"], ["prompts"] = prompts, ["maxNewTokens"] = maxNew,
            ["meanPromptTokens"] = promptIds.Average(p => p.Count),
        };
        foreach (var mode in modes) result[$"{mode.Name}TokensPerSecond"] = tokens[mode.Name] / Stats.Median(seconds[mode.Name]);
        double Rate(string name) => result[$"{name}TokensPerSecond"]!.GetValue<double>();
        result["cacheSpeedup"] = Rate("cachedBatched") / Rate("uncachedBatched");
        result["batchingSpeedup"] = Rate("cachedBatched") / Rate("cachedOneByOne");
        return result;
    }
}

using System.Text.Json;
using RecurrentKif.Bench;
using RecurrentKif.Gpu.BuiltIn;
using RecurrentKif.Gpu.Models;
using RecurrentKif.Gpu.Runtime;
using static TorchSharp.torch;

// rkif-bench: training-step throughput of the models RecurrentKif trains, as ratios to this machine's plain
// fp32 matmul measured in the same run (the machine is shared and noisy; ratios travel, absolute times do not).
//   dotnet run -c Release --project bench/RecurrentKif.Bench -- [--steps N] [--json out.json] [--shared ../shared]
//   dotnet run -c Release --project bench/RecurrentKif.Bench -- pipeline [--rounds N]   (pipeline vs library loop, restart latency)
if (args.FirstOrDefault() == "pipeline-child")
{
    PipelineBenchmark.RunChild(args[1], args[2], args.Length > 3 ? args[3] : "");
    return 0;
}
if (args.FirstOrDefault() == "pipeline")
{
    PipelineBenchmark.Run(args.SkipWhile(a => a != "--shared").Skip(1).FirstOrDefault() ?? FindShared(), ArgValue("--rounds", 2));
    return 0;
}
int steps = ArgValue("--steps", 10);
string? jsonPath = args.SkipWhile(a => a != "--json").Skip(1).FirstOrDefault();
string shared = args.SkipWhile(a => a != "--shared").Skip(1).FirstOrDefault() ?? FindShared();
var device = TorchRuntime.ResolveDevice();

double matmul = MatmulBaseline.GigaflopsPerSecond(device);
Console.WriteLine($"device {device}, {get_num_threads()} threads; plain fp32 matmul 2048²: {matmul:F0} GFLOP/s");

var results = new List<StepMeasurement>();
string stories = Path.Combine(shared, "models", "stories260k");
if (Directory.Exists(stories))
{
    using var model = LlamaLoader.LoadFolder(stories, ScalarType.Float32, device);
    results.Add(TrainingStepBenchmark.Measure("stories260k", model, batch: 8, length: 256, steps, matmul));
}
else Console.WriteLine($"(stories260k not found under {shared}; skipped)");

manual_seed(0);
using (var builtIn = new LlamaForCausalLM(BuiltInModel.Config, ScalarType.Float32, device))
{
    LlamaInitializer.InitializeRandom(builtIn);
    results.Add(TrainingStepBenchmark.Measure("built-in", builtIn, batch: 8, length: 256, steps, matmul));
}

var tenMillion = new LlamaConfig
{
    VocabSize = 4096, HiddenSize = 384, IntermediateSize = 1024, NumHiddenLayers = 6, NumAttentionHeads = 6,
    NumKeyValueHeads = 2, HeadDim = 64, MaxPositionEmbeddings = 1024, RmsNormEps = 1e-5, TieWordEmbeddings = true,
};
foreach (var dtype in new[] { ScalarType.Float32, ScalarType.BFloat16 })
{
    using var model = new LlamaForCausalLM(tenMillion, dtype, device);
    LlamaInitializer.InitializeRandom(model);
    results.Add(TrainingStepBenchmark.Measure("llama-10M", model, batch: 8, length: 256, steps, matmul));
}

// A T5 of about the same size (t5-small's shape, narrower): encoder-decoder, relative buckets, q and v LoRA on all
// three attentions; a source of 192 tokens and a label-word target padded to 8, as the benchmark's T5 batches look.
var t5 = new RecurrentKif.Gpu.Models.T5.T5Config
{
    VocabSize = 4096, DModel = 256, DKv = 32, DFf = 1024, NumLayers = 4, NumDecoderLayers = 4, NumHeads = 8, FeedForwardProj = "relu",
};
manual_seed(0);
using (var model = new RecurrentKif.Gpu.Models.T5.T5ForConditionalGeneration(t5, ScalarType.Float32, device))
{
    Seq2SeqStepBenchmark.InitializeRandom(model);
    results.Add(Seq2SeqStepBenchmark.Measure("t5-8M", model, batch: 8, sourceLength: 192, targetLength: 8, steps, matmul));
}

Console.WriteLine();
Console.WriteLine("| model | params | LoRA scalars | base | tokens/step | ms/step | tokens/s | GFLOP/s (6·N·T) | ÷ matmul |");
// (T5 rows: tokens = source + target; FLOPs count each stack on the tokens it reads, see Seq2SeqStepBenchmark.)
Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
foreach (var r in results)
    Console.WriteLine($"| {r.Model} | {r.Parameters:N0} | {r.LoraScalars:N0} | {r.BaseDtype} | {r.Batch * r.Length} | {r.MillisecondsPerStep:F1} | {r.TokensPerSecond:F0} | {r.AchievedGflops:F1} | {r.RatioToMatmul:F3} |");
if (jsonPath is not null)
    File.WriteAllText(jsonPath, JsonSerializer.Serialize(new { device = device.ToString(), matmulGflops = matmul, results }, new JsonSerializerOptions { WriteIndented = true }));
return 0;

int ArgValue(string name, int fallback)
{
    string? value = args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
    return value is null ? fallback : int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
}

static string FindShared()
{
    for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        if (Directory.Exists(Path.Combine(dir.FullName, "shared", "models"))) return Path.Combine(dir.FullName, "shared");
    return "../shared";
}

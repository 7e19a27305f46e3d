using System.Text.Json;
using System.Text.Json.Nodes;
using RecurrentKif.Bench;
using RecurrentKif.Gpu.Runtime;

// rkif-bench: every figure of issue 7 as ratios measured in one run (the machine is shared and noisy; ratios travel,
// absolute times do not). Each measurement runs in its own child process (`rkif-bench child <section> key=value …`).
//   dotnet run -c Release --project bench/RecurrentKif.Bench -- [--quick] [--only training,pipeline,continual,generation,checkpoint]
//                                                              [--out bench/results] [--device cpu|cuda|auto] [--threads N] [--work folder]
// As the rkif launcher does: the measured processes allocate native memory the way a training run does (NativeHeap).
NativeHeap.KeepFreedMemory();
if (args.FirstOrDefault() == "child")
{
    if (args.Length < 2) throw new ArgumentException("rkif-bench child <section> key=value …");
    return ChildProcess.RunAsChild(args[1], args.Skip(2), (section, arguments) => section switch
    {
        "training" => TrainingStepBenchmark.RunChild(arguments),
        "continual" => ContinualCostBenchmark.RunChild(arguments),
        "lora-state" => LoraStateCost.RunChild(arguments),
        "generation" => GenerationBenchmark.RunChild(arguments),
        "checkpoint" => CheckpointBenchmark.RunChild(arguments),
        "pipeline" => PipelineBenchmark.RunChild(arguments),
        _ => throw new ArgumentException($"unknown benchmark child section '{section}'"),
    });
}

var options = BenchOptions.Parse(args);
var started = DateTime.UtcNow;
string work = options.WorkFolder ?? Directory.CreateTempSubdirectory("rkif-bench").FullName;
Directory.CreateDirectory(work);
try
{
    var results = new BenchSuite(options, work).Run();
    results["command"] = "rkif-bench " + string.Join(' ', args);
    results["startedUtc"] = started.ToString("O");
    results["minutes"] = (DateTime.UtcNow - started).TotalMinutes;
    Directory.CreateDirectory(options.OutFolder);
    string stamp = started.ToString("yyyyMMdd-HHmmss");
    string json = results.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    foreach (string name in new[] { stamp, "latest" }) File.WriteAllText(Path.Combine(options.OutFolder, $"{name}.json"), json);
    string markdown = BenchSummary.Markdown(results);
    foreach (string name in new[] { stamp, "latest" }) File.WriteAllText(Path.Combine(options.OutFolder, $"{name}.md"), markdown);
    File.Delete(Path.Combine(options.OutFolder, "partial.json"));
    Console.WriteLine(markdown);
    Console.WriteLine($"written: {Path.Combine(options.OutFolder, stamp)}.json and .md (also latest.json / latest.md)");
    return 0;
}
finally
{
    if (options.WorkFolder is null) Directory.Delete(work, recursive: true);
}

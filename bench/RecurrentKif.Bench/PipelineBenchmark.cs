using System.Diagnostics;
using RecurrentKif.Actors;
using RecurrentKif.Actors.Pipeline;
using RecurrentKif.Actors.Settings;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Models;
using RecurrentKif.Gpu.Tokenization;
using static TorchSharp.torch;

namespace RecurrentKif.Bench;

/// <summary>
/// The actor pipeline against the bare library loop on the same sequence, in the same process, alternating runs so
/// machine noise hits both (target: throughput ratio ≥ 0.97); and the time a killed `rkif run` takes, from the
/// restart command to its first resumed optimizer step.
/// </summary>
public static class PipelineBenchmark
{
    public static void Run(string shared, int rounds)
    {
        string root = Directory.CreateTempSubdirectory("rkif-bench").FullName;
        string config = WriteConfig(root, Path.Combine(shared, "models", "stories260k"));
        var library = new List<Timing>();
        var pipeline = new List<Timing>();
        // Each measurement in its own process: every OS thread that enters libtorch gets an OpenMP team, and a second
        // team in the same process (the other measurement's) would slow the first one down.
        for (int round = 0; round < rounds; round++)
        {
            library.Add(Child("library", config, ""));
            pipeline.Add(Child("pipeline", config, $"bench-{round}"));
        }
        var libraryBest = library.MinBy(t => t.Work)!;
        var pipelineBest = pipeline.MinBy(t => t.Work)!;
        Console.WriteLine();
        Console.WriteLine($"| run (3 tasks, stories260k), best of {rounds} | start-up to first step (s) | first step to end: training, fusion, commits, evaluation (s) | of which training compute (s) | total (s) |");
        Console.WriteLine("|---|---|---|---|---|");
        Console.WriteLine($"| library loop (ContinualTrainer) | {libraryBest.Startup:F2} | {libraryBest.Work:F2} | {libraryBest.TrainingCompute:F2} | {libraryBest.Total:F2} |");
        Console.WriteLine($"| actor pipeline (RunHost) | {pipelineBest.Startup:F2} | {pipelineBest.Work:F2} | {pipelineBest.TrainingCompute:F2} | {pipelineBest.Total:F2} |");
        Console.WriteLine($"pipeline throughput / library throughput (first step to end) = {libraryBest.Work / pipelineBest.Work:F3} (target ≥ 0.97); " +
                          $"whole run including start-up and shutdown = {libraryBest.Total / pipelineBest.Total:F3}");
        MeasureRestart(config, root);
        Directory.Delete(root, recursive: true);
    }

    public sealed record Timing(double Startup, double Work, double Total, double TrainingCompute);

    /// <summary>The child-process side: one measurement, printed as a JSON line.</summary>
    public static void RunChild(string kind, string config, string runId) =>
        Console.WriteLine("TIMING " + System.Text.Json.JsonSerializer.Serialize(kind == "library" ? TimeLibrary(config) : TimePipeline(config, runId)));

    private static Timing Child(string kind, string config, string runId)
    {
        var info = new ProcessStartInfo("dotnet", $"\"{typeof(PipelineBenchmark).Assembly.Location}\" pipeline-child {kind} \"{config}\" {runId}")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        string? line = output.Split('\n').FirstOrDefault(l => l.StartsWith("TIMING ", StringComparison.Ordinal));
        return line is null
            ? throw new InvalidOperationException($"{kind} measurement failed:\n{output}")
            : System.Text.Json.JsonSerializer.Deserialize<Timing>(line["TIMING ".Length..])!;
    }

    private static Timing TimeLibrary(string config)
    {
        var run = RunConfigurationLoader.Load(config);
        var tasks = TaskCatalog.Load(run).Tasks;
        var clock = Stopwatch.StartNew();
        double? firstStep = null;
        using var model = LlamaLoader.LoadFolder(run.Model, ScalarType.Float32, CPU);
        var result = new ContinualTrainer(model, TokenizerLoader.FromModelFolder(run.Model), run.Continual).Run(tasks, _ => firstStep ??= clock.Elapsed.TotalSeconds);
        double total = clock.Elapsed.TotalSeconds;
        return new Timing(firstStep!.Value, total - firstStep.Value, total, result.Tasks.Sum(t => t.Seconds));
    }

    private static Timing TimePipeline(string config, string runId)
    {
        var run = RunConfigurationLoader.Load(config, [$"rkif.run-id = \"{runId}\""]);
        TaskCatalog.Load(run); // tasks generated outside the timed part, as for the library run
        var clock = Stopwatch.StartNew();
        double? firstStep = null, end = null;
        var result = RunHost.RunAsync(run, p => firstStep ??= clock.Elapsed.TotalSeconds, completed: () => end = clock.Elapsed.TotalSeconds).GetAwaiter().GetResult();
        if (!result.Succeeded) throw new InvalidOperationException(result.Error);
        double total = clock.Elapsed.TotalSeconds;
        double training = ContinualReportWriter.ReadJson(Path.Combine(run.RunFolder, "report.json"))[0].Extras["trainingSeconds"];
        return new Timing(firstStep!.Value, end!.Value - firstStep.Value, total, training);
    }

    private static void MeasureRestart(string config, string root)
    {
        string launcher = FindLauncher();
        string Args(string id) => $"\"{launcher}\" run \"{config}\" --set run-id={id}";
        // Kill the run mid-task, then time the restart until its first resumed step is logged.
        RunProcess(Args("restart"), "step:12", untilLine: null);
        var clock = Stopwatch.StartNew();
        double? resumed = null, firstStep = null;
        RunProcess(Args("restart"), null, untilLine: line =>
        {
            if (resumed is null && line.Contains("training from step", StringComparison.Ordinal)) resumed = clock.Elapsed.TotalSeconds;
            if (resumed is not null && firstStep is null && line.Contains(" step ", StringComparison.Ordinal) && line.Contains("loss", StringComparison.Ordinal))
                firstStep = clock.Elapsed.TotalSeconds;
            return firstStep is not null;
        });
        Console.WriteLine($"restart of a killed run: state restored after {resumed:F2} s, first resumed step logged after {firstStep:F2} s (process start included)");
        _ = root;
    }

    private static void RunProcess(string arguments, string? fault, Func<string, bool>? untilLine)
    {
        var info = new ProcessStartInfo("dotnet", arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (fault is not null) info.Environment["RKIF_FAULT"] = fault;
        using var process = Process.Start(info)!;
        var done = new ManualResetEventSlim();
        void OnLine(object _, DataReceivedEventArgs e)
        {
            if (e.Data is not null && untilLine is not null && untilLine(e.Data)) done.Set();
        }
        process.OutputDataReceived += OnLine;
        process.ErrorDataReceived += OnLine;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (untilLine is null) process.WaitForExit();
        else
        {
            done.Wait(TimeSpan.FromMinutes(5));
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    private static string WriteConfig(string root, string model)
    {
        string path = Path.Combine(root, "bench.conf");
        File.WriteAllText(path, $$"""
            rkif {
              data-root = "{{Path.Combine(root, "data")}}"
              model = "{{model}}"
              device = "cpu"
              tasks { source = "builtin", order = "builtin-short", train-per-task = 64, dev-per-task = 16, eval-per-task = 16 }
              training { epochs = 2, batch-size = 8, micro-batch-size = 8, learning-rate = 3e-3, warmup-steps = 2, cutoff = 256, keep-answer = on }
              kif { outer-batch-size = 8, outer-update = "SharedInnerAdam" }
              memory-ratio = 0.1
              validation-per-task = 8
              eval-every = 8
              evaluation { max-new-tokens = 4 }
            }
            """);
        return path;
    }

    private static string FindLauncher()
    {
        var bin = new DirectoryInfo(AppContext.BaseDirectory);
        string relative = Path.GetRelativePath(Path.Combine(bin.FullName, "../../../.."), bin.FullName);
        string dll = Path.GetFullPath(Path.Combine(bin.FullName, "../../../../../..", "src", "Launcher", relative, "rkif.dll"));
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"rkif launcher not built at {dll}");
    }
}

using System.Diagnostics;
using System.Runtime;
using System.Text.Json.Nodes;
using RecurrentKif.Actors;
using RecurrentKif.Actors.Pipeline;
using RecurrentKif.Actors.Settings;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Models;
using RecurrentKif.Gpu.Reports;
using RecurrentKif.Gpu.Runtime;
using RecurrentKif.Gpu.Tokenization;
using RecurrentKif.Gpu.Training;
using static TorchSharp.torch;

namespace RecurrentKif.Bench;

/// <summary>
/// Section 2 and 5b: the actor pipeline (RunHost: journal, per-cycle commits, stages on the compute thread) against
/// the bare library loop (ContinualTrainer, then the same report files) on the same 3-task sequence and settings,
/// each in its own process, alternating (target: throughput ratio ≥ 0.97, first step until the reports are written);
/// and the time a killed `rkif run` takes, from the restart command to its first resumed optimizer step.
/// </summary>
public static class PipelineBenchmark
{
    /// <summary>The run file both sides read: the built-in tasks, small but with fusion cycles, commits and evaluation.</summary>
    public static string WriteConfig(string root, string model, string dataRoot, string device)
    {
        string path = Path.Combine(root, "pipeline.conf");
        File.WriteAllText(path, $$"""
            rkif {
              data-root = "{{dataRoot}}"
              model = "{{model}}"
              device = "{{device}}"
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

    /// <summary>The child side: one library or pipeline run, timed from process start.</summary>
    public static JsonObject RunChild(ChildArguments arguments)
    {
        string kind = arguments["kind"], config = arguments["config"];
        var clock = Stopwatch.StartNew();
        double? firstStep = null, secondTaskStep = null, end = null;
        string? firstTask = null;
        (long Methods, TimeSpan Time)? jitAtFirstStep = null;
        (TimeSpan Pause, int Gen0, int Gen1, int Gen2)? gcAtFirstStep = null;
        JsonObject? threadCpuAtFirstStep = null;
        long faultsAtFirstStep = 0;
        void OnStep(TrainingProgress step)
        {
            if (firstStep is null)
            {
                firstStep = clock.Elapsed.TotalSeconds;
                firstTask = step.Phase;
                jitAtFirstStep = (JitInfo.GetCompiledMethodCount(), JitInfo.GetCompilationTime());
                threadCpuAtFirstStep = ThreadCpu.ByName();
                faultsAtFirstStep = ThreadCpu.MinorPageFaults();
                gcAtFirstStep = (GC.GetTotalPauseDuration(), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
            }
            else if (secondTaskStep is null && step.Phase != firstTask) secondTaskStep = clock.Elapsed.TotalSeconds;
        }
        double training;
        if (kind == "library")
        {
            var run = RunConfigurationLoader.Load(config);
            var tasks = TaskCatalog.Load(run).Tasks;
            clock.Restart();
            using var model = LlamaLoader.LoadFolder(run.Model, ScalarType.Float32, TorchRuntime.ResolveDevice(run.Device));
            var result = new ContinualTrainer(model, TokenizerLoader.FromModelFolder(run.Model), run.Continual)
                .Run(tasks, OnStep);
            training = result.Tasks.Sum(t => t.Seconds);
            WriteLibraryReports(run, tasks, result);   // the same three files the pipeline writes at its end
            end = clock.Elapsed.TotalSeconds;
        }
        else
        {
            var run = RunConfigurationLoader.Load(config, [$"rkif.run-id = \"{arguments["run-id"]}\""]);
            TaskCatalog.Load(run); // tasks generated outside the timed part, as for the library run
            clock.Restart();
            var result = RunHost.RunAsync(run, OnStep, completed: () => end = clock.Elapsed.TotalSeconds)
                .GetAwaiter().GetResult();
            if (!result.Succeeded) throw new InvalidOperationException(result.Error);
            training = ContinualReportWriter.ReadJson(Path.Combine(run.RunFolder, "report.json"))[0].Extras["trainingSeconds"];
        }
        if (firstStep is null) throw new InvalidOperationException($"the {kind} run of {config} trained no step (a finished run in its data root?)");
        if (secondTaskStep is null) throw new InvalidOperationException($"the {kind} run of {config} never reached its second task");
        return new JsonObject
        {
            ["kind"] = kind, ["startupSeconds"] = firstStep.Value, ["workSeconds"] = end!.Value - firstStep.Value,
            // Steady state: every code path (cycle stages, commits, evaluation) has run once by the second task, so this
            // excludes the one-time cost of compiling them, which ["jitSecondsDuringWork"] reports.
            ["workFromSecondTaskSeconds"] = end.Value - secondTaskStep.Value,
            ["totalSeconds"] = clock.Elapsed.TotalSeconds, ["trainingComputeSeconds"] = training,
            ["threadCpuSeconds"] = ThreadCpu.ByName(),
            ["threadCpuSecondsAtFirstStep"] = threadCpuAtFirstStep,
            // Each is a fresh page the kernel zero-fills: what made identical runs differ by ±25 % before NativeHeap.
            ["minorPageFaultsDuringWork"] = (double)(ThreadCpu.MinorPageFaults() - faultsAtFirstStep),
            ["nativeHeap"] = NativeHeap.Applied ?? "glibc defaults",
            // Methods the JIT compiled between the first step and the end, and the time it spent on them (all threads).
            ["jitMethodsDuringWork"] = (double)(JitInfo.GetCompiledMethodCount() - jitAtFirstStep!.Value.Methods),
            ["jitSecondsDuringWork"] = (JitInfo.GetCompilationTime() - jitAtFirstStep.Value.Time).TotalSeconds,
            // Time every managed thread (the compute thread included) stood still for the garbage collector after the
            // first step, and the collections of each generation in that time.
            ["gcPauseSecondsDuringWork"] = (GC.GetTotalPauseDuration() - gcAtFirstStep!.Value.Pause).TotalSeconds,
            ["gcCollectionsDuringWork"] = $"{GC.CollectionCount(0) - gcAtFirstStep.Value.Gen0}/{GC.CollectionCount(1) - gcAtFirstStep.Value.Gen1}/{GC.CollectionCount(2) - gcAtFirstStep.Value.Gen2}",
        };
    }

    /// <summary>report.json, matrix.txt and report.html of a library run, as <see cref="RunReports.Write"/> writes them for a pipeline run.</summary>
    private static void WriteLibraryReports(RunConfiguration run, IReadOnlyList<ContinualTask> tasks, ContinualRunResult result)
    {
        string folder = Path.Combine(run.DataRoot, "library-run");
        Directory.CreateDirectory(folder);
        var report = ContinualReport.FromRun(result, tasks);
        ContinualReportWriter.WriteJson([report], Path.Combine(folder, "report.json"));
        File.WriteAllText(Path.Combine(folder, "matrix.txt"), ContinualReportWriter.FormatMatrix(report));
        HtmlReportWriter.Write(new RunReportData(report, result.Tasks, "RecurrentKif library run", RunReports.Settings(run), DateTime.UtcNow),
            Path.Combine(folder, "report.html"));
    }

    public static JsonObject Run(string config, int rounds)
    {
        var library = new List<JsonObject>();
        var pipeline = new List<JsonObject>();
        var timeout = TimeSpan.FromMinutes(10);
        for (int round = 0; round < rounds; round++)
        {
            library.Add(ChildProcess.Run("pipeline", new Dictionary<string, string> { ["kind"] = "library", ["config"] = config }, timeout));
            pipeline.Add(ChildProcess.Run("pipeline", new Dictionary<string, string> { ["kind"] = "pipeline", ["config"] = config, ["run-id"] = $"bench-{round}" }, timeout));
        }
        double Median(List<JsonObject> runs, string key) => Stats.Median(runs.Select(r => r[key]!.GetValue<double>()));
        var restart = MeasureRestart(config);
        return new JsonObject
        {
            ["rounds"] = rounds,
            ["library"] = Summary(library), ["pipeline"] = Summary(pipeline),
            ["pipelineOverLibraryThroughput"] = Median(library, "workSeconds") / Median(pipeline, "workSeconds"),
            ["pipelineOverLibrarySteadyThroughput"] = Median(library, "workFromSecondTaskSeconds") / Median(pipeline, "workFromSecondTaskSeconds"),
            ["pipelineOverLibraryWholeRun"] = Median(library, "totalSeconds") / Median(pipeline, "totalSeconds"),
            ["pipelineOverLibraryTrainingCompute"] = Median(library, "trainingComputeSeconds") / Median(pipeline, "trainingComputeSeconds"),
            ["restart"] = restart,
            ["libraryRuns"] = new JsonArray(library.Select(r => (JsonNode)r.DeepClone()).ToArray()),
            ["pipelineRuns"] = new JsonArray(pipeline.Select(r => (JsonNode)r.DeepClone()).ToArray()),
        };

        JsonObject Summary(List<JsonObject> runs) => new()
        {
            ["startupSeconds"] = Median(runs, "startupSeconds"), ["workSeconds"] = Median(runs, "workSeconds"),
            ["workFromSecondTaskSeconds"] = Median(runs, "workFromSecondTaskSeconds"),
            ["totalSeconds"] = Median(runs, "totalSeconds"), ["trainingComputeSeconds"] = Median(runs, "trainingComputeSeconds"),
            ["jitMethodsDuringWork"] = Median(runs, "jitMethodsDuringWork"), ["jitSecondsDuringWork"] = Median(runs, "jitSecondsDuringWork"),
            ["peakMemoryMb"] = runs.Max(r => r["peakMemoryMb"]!.GetValue<double>()),
            ["minorPageFaultsDuringWork"] = Median(runs, "minorPageFaultsDuringWork"),
            ["workSecondsEachRound"] = new JsonArray(runs.Select(r => (JsonNode)r["workSeconds"]!.GetValue<double>()).ToArray()),
        };
    }

    /// <summary>Kills `rkif run` after its 12th step (RKIF_FAULT), then times the same command until its first resumed step.</summary>
    private static JsonObject MeasureRestart(string config)
    {
        string launcher = FindLauncher();
        string Args(string id) => $"\"{launcher}\" run \"{config}\" --set run-id={id}";
        RunProcess(Args("restart"), "step:12", untilLine: null);
        var clock = Stopwatch.StartNew();
        double? restored = null, firstStep = null;
        RunProcess(Args("restart"), null, untilLine: line =>
        {
            if (restored is null && line.Contains("training from step", StringComparison.Ordinal)) restored = clock.Elapsed.TotalSeconds;
            if (restored is not null && firstStep is null && line.Contains(" step ", StringComparison.Ordinal) && line.Contains("loss", StringComparison.Ordinal))
                firstStep = clock.Elapsed.TotalSeconds;
            return firstStep is not null;
        });
        if (firstStep is null) throw new InvalidOperationException("the restarted run never logged a resumed step");
        return new JsonObject { ["stateRestoredSeconds"] = restored, ["firstResumedStepSeconds"] = firstStep };
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

    /// <summary>The rkif launcher built beside this benchmark (same configuration and runtime identifier).</summary>
    private static string FindLauncher()
    {
        var bin = new DirectoryInfo(AppContext.BaseDirectory);
        string relative = Path.GetRelativePath(Path.Combine(bin.FullName, "../../../.."), bin.FullName);
        string dll = Path.GetFullPath(Path.Combine(bin.FullName, "../../../../../..", "src", "Launcher", relative, "rkif.dll"));
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"rkif launcher not built at {dll}");
    }
}

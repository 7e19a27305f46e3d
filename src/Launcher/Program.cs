using System.CommandLine;
using RecurrentKif.Actors.Settings;
using RecurrentKif.Gpu.Checkpoints;
using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Models;
using RecurrentKif.Gpu.Runtime;
using RecurrentKif.Gpu.Training;
using RecurrentKif.Launcher.Commands;
using RecurrentKif.Launcher.Observability;
using Serilog;

// Before any tensor exists: CPU training's step time depends on glibc keeping freed memory (NativeHeap).
NativeHeap.KeepFreedMemory();
// Console only until a command knows its run; `run` and `node` then add the run's log file (RkifLogging).
RkifLogging.UseConsole();

var root = new RootCommand("rkif: continual learning of language models with Recurrent-KIF (LoRA, importance-guided pruning and merging)")
{
    RunCommand.Create(),
    NodeCommand.Create(),
    StatusCommand.Create(),
    EvalCommand.Create(),
    ExportCommand.Create(),
    MergeCommand.Create(),
    ReportCommand.Create(),
    TrainCommand.Create(),
    PretrainCommand.Create(),
    GenerateCommand.Create(),
    ExperimentCommand.Create(),
    BenchmarkTableCommand.Create(),
    SubmitCommand.Create(),
    ClusterStatusCommand.Create(),
    CertsCommand.Create(),
};

try
{
    // Exceptions come to the handler below: bad input gets one clear line, not a stack trace.
    return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e) when (e is TaskDataException or ModelLoadException or NonFiniteLossException or ArgumentException or FileNotFoundException
    or InvalidOperationException or RunConfigurationException or CheckpointException or DirectoryNotFoundException or TimeoutException or InvalidDataException)
{
    // Bad input is the user's to fix: say what and where, without a stack trace.
    Log.Error("{Message}", e.Message);
    return 2;
}
finally
{
    Log.CloseAndFlush();
}

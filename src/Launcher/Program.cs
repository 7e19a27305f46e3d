using System.CommandLine;
using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Models;
using RecurrentKif.Gpu.Training;
using RecurrentKif.Launcher.Commands;
using Serilog;

Log.Logger = new LoggerConfiguration()
    .MinimumLevel.Information()
    .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}", standardErrorFromLevel: Serilog.Events.LogEventLevel.Verbose)
    .CreateLogger();

var root = new RootCommand("rkif: continual learning of language models with Recurrent-KIF (LoRA, importance-guided pruning and merging)")
{
    TrainCommand.Create(),
    GenerateCommand.Create(),
    ExperimentCommand.Create(),
};

try
{
    return root.Parse(args).Invoke();
}
catch (Exception e) when (e is TaskDataException or ModelLoadException or NonFiniteLossException or ArgumentException or FileNotFoundException or InvalidOperationException)
{
    // Bad input is the user's to fix: say what and where, without a stack trace.
    Log.Error("{Message}", e.Message);
    return 2;
}
finally
{
    Log.CloseAndFlush();
}

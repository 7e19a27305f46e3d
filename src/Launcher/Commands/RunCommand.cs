using System.CommandLine;
using RecurrentKif.Actors;
using RecurrentKif.Actors.Settings;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Launcher.Observability;
using RecurrentKif.Launcher.Terminal;

namespace RecurrentKif.Launcher.Commands;

/// <summary>
/// <c>rkif run config.conf</c>: starts the run the file describes, or resumes it from its journal if it exists
/// (killing the process at any moment and running the same command again continues from the last commit).
/// Ends with the accuracy matrix and OP / BWT / FWT; reports go to &lt;data-root&gt;/runs/&lt;run-id&gt;.
/// </summary>
public static class RunCommand
{
    public static Argument<string> ConfigArgument() => new("config") { Description = "Run configuration (HOCON), e.g. hocon/local.conf" };

    public static Option<string[]> SetOption() => new("--set")
    {
        Description = "Override a setting, HOCON syntax without the rkif. prefix, e.g. --set training.epochs=2 (repeatable)",
        AllowMultipleArgumentsPerToken = false,
    };

    public static RunConfiguration Load(ParseResult parse, Argument<string> config, Option<string[]> set) =>
        RunConfigurationLoader.Load(parse.GetValue(config)!, (parse.GetValue(set) ?? []).Select(s => "rkif." + s));

    public static Command Create()
    {
        var config = ConfigArgument();
        var set = SetOption();
        var command = new Command("run", "Start or resume a continual-learning run described by a HOCON file") { config, set };
        command.SetAction(async (parse, cancellation) =>
        {
            var run = Load(parse, config, set);
            RkifLogging.UseRunFolder(run);
            using var metrics = MetricsExport.Start(run.Observability.Metrics);
            var display = new ProgressDisplay();
            var result = await RunHost.RunAsync(run, display.Report, cancellation);
            if (!result.Succeeded)
            {
                Serilog.Log.Error("Run {Run} stopped: {Error}", run.RunId, result.Error);
                return 1;
            }
            var report = ContinualReportWriter.ReadJson(Path.Combine(run.RunFolder, "report.json"))[0];
            Console.WriteLine();
            Console.WriteLine(ContinualReportWriter.FormatMatrix(report));
            Console.WriteLine($"reports: {run.RunFolder}");
            return 0;
        });
        return command;
    }
}

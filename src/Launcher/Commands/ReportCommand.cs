using System.CommandLine;
using RecurrentKif.Actors;
using RecurrentKif.Actors.Pipeline;
using RecurrentKif.Gpu.Continual;

namespace RecurrentKif.Launcher.Commands;

/// <summary><c>rkif report config.conf</c>: rebuild a run's reports from its journal (also for a run still in progress).</summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var config = RunCommand.ConfigArgument();
        var set = RunCommand.SetOption();
        var command = new Command("report", "Write a run's accuracy matrix, metrics, loss curves and mask statistics (JSON + HTML) from its journal") { config, set };
        command.SetAction(async (parse, _) =>
        {
            var run = RunCommand.Load(parse, config, set);
            var state = await RunHost.ReadStateAsync(run);
            if (state.Started is null) throw new InvalidOperationException($"run '{run.RunId}' has not started");
            var tasks = TaskCatalog.LoadRunTasks(run, state);
            RunReports.Write(run, tasks, state);
            Console.WriteLine(ContinualReportWriter.FormatMatrix(RunReports.Build(run, tasks, state)));
            Console.WriteLine($"reports: {run.RunFolder}");
            return 0;
        });
        return command;
    }
}

using System.CommandLine;
using RecurrentKif.Actors;

namespace RecurrentKif.Launcher.Commands;

/// <summary><c>rkif status config.conf</c>: where a run stands, read from its journal (works while it runs or after a crash).</summary>
public static class StatusCommand
{
    public static Command Create()
    {
        var config = RunCommand.ConfigArgument();
        var set = RunCommand.SetOption();
        var command = new Command("status", "Show a run's progress from its journal: tasks done, last commit, accuracy rows") { config, set };
        command.SetAction(async (parse, _) =>
        {
            var run = RunCommand.Load(parse, config, set);
            var state = await RunHost.ReadStateAsync(run);
            if (state.Started is null)
            {
                Console.WriteLine($"run '{run.RunId}' has not started (journal {run.DataRoot}/journal.db)");
                return 0;
            }
            var names = state.TaskNames;
            Console.WriteLine($"run {run.RunId}: {names.Count} tasks, started {state.Started.StartedUtc:u}, {(state.Finished ? "finished" : "in progress")}");
            for (int k = 0; k < names.Count; k++)
            {
                string progress = state.Rows.TryGetValue(k, out var row)
                    ? "evaluated: " + string.Join("  ", names.Select((n, i) => $"{n} {row[i]:P0}"))
                    : state.Trained.ContainsKey(k) ? "trained, evaluation pending"
                    : state.Commits.TryGetValue(k, out var commits) && commits.Count > 0 ? $"training: step {commits[^1].Step}/{commits[^1].TotalSteps} committed"
                    : "pending";
                Console.WriteLine($"  {k + 1,2}. {names[k],-16} {progress}");
            }
            if (state.Rollbacks.Count > 0) Console.WriteLine($"  rollbacks: {state.Rollbacks.Count} (last: {state.Rollbacks[^1].Reason})");
            return 0;
        });
        return command;
    }
}

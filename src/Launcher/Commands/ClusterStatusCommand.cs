using System.CommandLine;
using System.Globalization;
using RecurrentKif.Client;
using RecurrentKif.Messages;

namespace RecurrentKif.Launcher.Commands;

/// <summary>
/// <c>rkif cluster-status (--contact … | --http …)</c>: where a cluster's run stands, asked of its coordinator through
/// the task gateway (unlike `rkif status`, which reads a journal file directly).
/// </summary>
public static class ClusterStatusCommand
{
    public static Command Create()
    {
        var target = new GatewayTargetOptions();
        var command = new Command("cluster-status", "Ask a running cluster's coordinator where its run stands (ClusterClient or HTTP)");
        target.AddTo(command);
        command.SetAction(async (parse, _) =>
        {
            var timeout = target.TimeoutOf(parse);
            var (contacts, http) = target.TargetOf(parse);
            RunStatus status;
            string token = target.TokenOf(parse, required: true);   // every transport: the status names tasks, folders and nodes
            if (http is not null)
            {
                using var client = new HttpTaskSubmissionClient(http);
                status = await client.StatusAsync(token, timeout);
            }
            else
            {
                await using var client = target.ConnectCluster(parse, contacts!);
                status = await client.StatusAsync(token, timeout);
            }
            Console.Write(Format(status));
            return 0;
        });
        return command;
    }

    public static string Format(RunStatus status)
    {
        var text = new System.Text.StringBuilder();
        int count = status.TaskNames.Count;
        string position = status.Finished ? "finished"
            : count == 0 ? "no tasks yet"
            : $"task {Math.Min(status.CurrentTask + 1, count)}/{count} ({status.TaskNames[Math.Clamp(status.CurrentTask, 0, count - 1)]}), {status.Phase}, step {status.Step}/{status.TotalSteps}";
        text.AppendLine(CultureInfo.InvariantCulture, $"run {status.RunId}: {position}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  coordinator: {status.CoordinatorNode}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  learners: {(status.Learners.Count > 0 ? string.Join(", ", status.Learners) : "none")}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  last commit: {status.LastCheckpoint ?? "none"}");
        for (int k = 0; k < count; k++)
        {
            string row = k < status.AccuracyRows.Count
                ? "evaluated: " + string.Join("  ", status.AccuracyRows[k].Select((accuracy, i) => $"{(i < count ? status.TaskNames[i] : "?")} {accuracy.ToString("P0", CultureInfo.InvariantCulture)}"))
                : k < status.CurrentTask || status.Finished ? "trained" : k == status.CurrentTask ? "current" : "pending";
            text.AppendLine(CultureInfo.InvariantCulture, $"  {k + 1,2}. {status.TaskNames[k],-16} {row}");
        }
        return text.ToString();
    }
}

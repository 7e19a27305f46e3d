using System.CommandLine;
using RecurrentKif.Client;
using RecurrentKif.Messages;
using Serilog;

namespace RecurrentKif.Launcher.Commands;

/// <summary>
/// <c>rkif submit --name N --source DIR (--contact akka.tcp://rkif@host:port … | --http http://host:port)</c>: asks a
/// running cluster to learn one more task. Exit code 0 when queued, 2 when refused (the reason is printed).
/// </summary>
public static class SubmitCommand
{
    public static Command Create()
    {
        var name = new Option<string>("--name") { Description = "The task's name: its files are <source>/{train,dev,test}/<name>.json (or .jsonl)", Required = true };
        var source = new Option<string>("--source")
        {
            Description = "The task's folder on the cluster's nodes, relative to their data root (or absolute, inside it)",
            Required = true,
        };
        var target = new GatewayTargetOptions();
        var command = new Command("submit", "Submit a task to a running cluster (ClusterClient or HTTP); it is validated before it is queued") { name, source };
        target.AddTo(command);
        command.SetAction(async (parse, _) =>
        {
            string taskName = parse.GetValue(name)!, folder = parse.GetValue(source)!;
            string token = target.TokenOf(parse, required: true);
            var timeout = target.TimeoutOf(parse);
            var (contacts, http) = target.TargetOf(parse);
            TaskSubmissionResult result;
            if (http is not null)
            {
                using var client = new HttpTaskSubmissionClient(http);
                result = await client.SubmitAsync(taskName, folder, token, timeout);
            }
            else
            {
                await using var client = target.ConnectCluster(parse, contacts!);
                result = await client.SubmitAsync(taskName, folder, token, timeout);
            }
            if (result.Accepted)
            {
                Console.WriteLine(GatewayTargetOptions.Describe(result));
                return 0;
            }
            Log.Error("{Refusal}", GatewayTargetOptions.Describe(result));
            return 2;
        });
        return command;
    }
}

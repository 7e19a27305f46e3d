using System.CommandLine;
using RecurrentKif.Actors.Hosting;
using RecurrentKif.Launcher.Observability;

namespace RecurrentKif.Launcher.Commands;

/// <summary>
/// <c>rkif node hocon/cluster-seed.conf</c>: starts one cluster node (<see cref="NodeHost"/>, on Akka.Hosting) and keeps
/// it up until Ctrl-C or until the cluster downs it. Host, port, seeds, roles and learner name come from
/// <c>rkif.cluster</c>, overridable per node with <c>--set cluster.port=25521</c> or the RKIF_CLUSTER_* environment variables.
/// </summary>
public static class NodeCommand
{
    /// <summary>Exit code when the node left the cluster on its own (downed by the split brain resolver, or shut down).</summary>
    public const int LeftClusterExitCode = 3;

    public static Command Create()
    {
        var config = RunCommand.ConfigArgument();
        var set = RunCommand.SetOption();
        var command = new Command("node", "Start a cluster node (coordinator and/or learner) described by a HOCON file, e.g. hocon/cluster-seed.conf") { config, set };
        command.SetAction(async (parse, cancellation) =>
        {
            string path = parse.GetValue(config)!;
            var options = NodeOptions.Load(path, (parse.GetValue(set) ?? []).Select(s => "rkif." + s));
            // Nodes may share the data root, so each names its own log file (docs/observability.md §3).
            RkifLogging.UseRunFolder(options.Run, $"node-{options.Cluster.Hostname}-{options.Cluster.Port}");
            using var metrics = MetricsExport.Start(options.Run.Observability.Metrics);
            await using var node = await NodeHost.StartAsync(options, cancellation);
            if (node.HttpUrl is not null) Serilog.Log.Information("HTTP task gateway listening on {Url} (health: {Url}health)", node.HttpUrl, node.HttpUrl);
            var downed = node.System.WhenTerminated;
            var stopped = Task.Delay(Timeout.Infinite, cancellation);
            await Task.WhenAny(downed, stopped);
            // Ctrl-C or SIGTERM may stop the actor system before this line sees the cancellation: that is a stop, not a downing.
            if (!cancellation.IsCancellationRequested)
            {
                Serilog.Log.Warning("Node {Address} left the cluster (downed or shut down); exiting", options.Cluster.Address);
                return LeftClusterExitCode;
            }
            return 0;
        });
        return command;
    }
}

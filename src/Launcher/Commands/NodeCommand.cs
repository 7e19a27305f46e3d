using System.CommandLine;
using RecurrentKif.Actors.Cluster;
using RecurrentKif.Actors.Gateway;
using RecurrentKif.Actors.Settings;
using RecurrentKif.Launcher.Observability;

namespace RecurrentKif.Launcher.Commands;

/// <summary>
/// <c>rkif node hocon/cluster-seed.conf</c>: starts one cluster node and keeps it up until Ctrl-C or until the cluster
/// downs it. Host, port, seeds, roles and learner name come from <c>rkif.cluster</c>, overridable per node with
/// <c>--set cluster.port=25521</c> or the RKIF_CLUSTER_* environment variables.
/// </summary>
public static class NodeCommand
{
    public static Command Create()
    {
        var config = RunCommand.ConfigArgument();
        var set = RunCommand.SetOption();
        var command = new Command("node", "Start a cluster node (coordinator and/or learner) described by a HOCON file, e.g. hocon/cluster-seed.conf") { config, set };
        command.SetAction(async (parse, cancellation) =>
        {
            string path = parse.GetValue(config)!;
            var overrides = (parse.GetValue(set) ?? []).Select(s => "rkif." + s).ToList();
            var run = RunConfigurationLoader.Load(path, overrides);
            var hocon = RunConfigurationLoader.LoadHocon(path, overrides);
            var cluster = ClusterSettings.Load(hocon, path);
            var gateway = GatewaySettingsLoader.Load(hocon, path, run.DataRoot);
            // Nodes may share the data root, so each names its own log file (docs/observability.md §3).
            RkifLogging.UseRunFolder(run, $"node-{cluster.Hostname}-{cluster.Port}");
            using var metrics = MetricsExport.Start(run.Observability.Metrics);
            await using var node = await ClusterNode.StartAsync(run, cluster, gateway, cancellation);
            if (node.HttpUrl is not null) Serilog.Log.Information("HTTP task gateway listening on {Url}", node.HttpUrl);
            var downed = node.System.WhenTerminated;
            var stopped = Task.Delay(Timeout.Infinite, cancellation);
            if (await Task.WhenAny(downed, stopped) == downed)
            {
                Serilog.Log.Warning("Node {Address} left the cluster (downed or shut down); exiting", cluster.Address);
                return 3;
            }
            return 0;
        });
        return command;
    }
}

using RecurrentKif.Actors.Cluster;
using RecurrentKif.Actors.Gateway;
using RecurrentKif.Actors.Settings;

namespace RecurrentKif.Actors.Hosting;

/// <summary>
/// Everything <c>rkif node</c> is configured by, as typed options bound from the user's HOCON file (on top of
/// hocon/reference.conf, with <c>--set</c> overrides and the RKIF_* environment variables). HOCON stays the user's
/// interface; the host is built from these records alone (docs/architecture.md, "The hosted node").
/// </summary>
public sealed record NodeOptions
{
    public required RunConfiguration Run { get; init; }
    public required ClusterSettings Cluster { get; init; }
    public required GatewaySettings Gateway { get; init; }
    public required NodeHealthOptions Health { get; init; }

    public SqlJournalSetup Journal => SqlJournalSetup.For(Run);

    /// <param name="path">The node's HOCON file, e.g. hocon/cluster-seed.conf.</param>
    /// <param name="overrides">HOCON lines that win over the file, e.g. "rkif.cluster.port=25521" (from --set).</param>
    public static NodeOptions Load(string path, IEnumerable<string>? overrides = null)
    {
        var overrideList = (overrides ?? []).ToList();
        var run = RunConfigurationLoader.Load(path, overrideList);
        var hocon = RunConfigurationLoader.LoadHocon(path, overrideList);
        return new NodeOptions
        {
            Run = run,
            Cluster = ClusterSettings.Load(hocon, path),
            Gateway = GatewaySettingsLoader.Load(hocon, path, run.DataRoot),
            Health = NodeHealthOptions.Load(hocon, path),
        };
    }
}

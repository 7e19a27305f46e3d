using Akka.Cluster.Hosting;
using Akka.Configuration;
using Akka.Remote.Hosting;
using RecurrentKif.Actors.Cluster;

namespace RecurrentKif.Actors.Hosting;

/// <summary>
/// <see cref="ClusterSettings"/> (bound from <c>rkif.cluster</c>) as Akka.Remote.Hosting / Akka.Cluster.Hosting
/// options, plus the split brain resolver keys those options do not cover (stable-after, down-all), set as typed values.
/// </summary>
public static class ClusterHostingSetup
{
    public static RemoteOptions Remote(ClusterSettings cluster) => new()
    {
        HostName = cluster.Hostname,
        Port = cluster.Port,
    };

    public static ClusterOptions Clustering(ClusterSettings cluster) => new()
    {
        SeedNodes = cluster.SeedNodes.ToArray(),
        Roles = cluster.Roles.ToArray(),
    };

    /// <summary>
    /// The split brain resolver (reference.conf, rkif.cluster.split-brain-resolver, says why keep-oldest with
    /// down-if-alone): the same keys the hand-written HOCON of earlier versions set.
    /// </summary>
    public static Config SplitBrainResolver(ClusterSettings cluster) => new HoconTree()
        .Set("akka.cluster.downing-provider-class", "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster")
        .Set("akka.cluster.split-brain-resolver.active-strategy", cluster.DowningStrategy)
        .Set("akka.cluster.split-brain-resolver.stable-after", cluster.StableAfter)
        .Set("akka.cluster.split-brain-resolver.keep-oldest.down-if-alone", true)
        .Set("akka.cluster.split-brain-resolver.keep-oldest.role", ClusterSettings.CoordinatorRole)
        .Set("akka.cluster.split-brain-resolver.keep-majority.role", "")
        .ToConfig();
}

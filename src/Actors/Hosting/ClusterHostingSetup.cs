using Akka.Cluster.Hosting;
using Akka.Configuration;
using Akka.Remote.Hosting;
using RecurrentKif.Actors.Cluster;
using RecurrentKif.Client.Security;

namespace RecurrentKif.Actors.Hosting;

/// <summary>
/// <see cref="ClusterSettings"/> (bound from <c>rkif.cluster</c>) as Akka.Remote.Hosting / Akka.Cluster.Hosting
/// options, plus the split brain resolver keys those options do not cover (stable-after, down-all), set as typed values.
/// </summary>
public static class ClusterHostingSetup
{
    /// <summary>
    /// Where the node listens, and with <c>rkif.cluster.tls</c> TLS with mutual authentication: the node presents its
    /// certificate, requires one from every peer, and accepts only certificates signed by the cluster CA (docs/security.md).
    /// </summary>
    public static RemoteOptions Remote(ClusterSettings cluster)
    {
        var options = new RemoteOptions { HostName = cluster.Hostname, Port = cluster.Port };
        if (cluster.Tls is not { } tls) return options;
        options.EnableSsl = true;
        options.Ssl = new SslOptions
        {
            X509Certificate = ClusterCertificates.LoadOwn(tls),
            SuppressValidation = false,
            RequireMutualAuthentication = true,
            // Nodes are addressed by IP and per-node names are not required; the cluster CA is the identity.
            ValidateCertificateHostname = false,
            CustomValidator = ClusterCertificateValidator.For(ClusterCertificates.LoadCa(tls)),
        };
        return options;
    }

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

using Akka.Cluster.Tools.Client;
using Akka.Configuration;
using RecurrentKif.Client.Wire;

namespace RecurrentKif.Actors.Tests.Gateway;

/// <summary>
/// A one-node cluster on loopback as a node hosts the task gateway: the ClusterClient receptionist loaded at start-up
/// and the wire serializer bound (docs/security.md §6), so status and submissions cross as they do between nodes.
/// </summary>
internal static class GatewayNodeConfig
{
    public static Config Loopback => ConfigurationFactory.ParseString("""
        akka {
          loglevel = WARNING
          actor.provider = cluster
          remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
          cluster.seed-nodes = []
          extensions = ["Akka.Cluster.Tools.Client.ClusterClientReceptionistExtensionProvider, Akka.Cluster.Tools"]
        }
        """).WithFallback(MessageSerializer.Bindings).WithFallback(ClusterClientReceptionist.DefaultConfig());
}

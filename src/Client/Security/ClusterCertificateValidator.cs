using System.Security.Cryptography.X509Certificates;
using Akka.Event;
using Akka.Remote.Transport.DotNetty;

namespace RecurrentKif.Client.Security;

/// <summary>
/// Accepts a TLS peer only when its certificate chains to the pinned cluster CA (docs/security.md), on both ends of
/// every Akka.Remote connection: the node that accepts checks the connecting side's client certificate and the side
/// that connects checks the node's. The operating system's trust store plays no part (a certificate from a public CA
/// is no member of the cluster) and host names are not checked (nodes are addressed by IP; the CA is the identity).
/// </summary>
public static class ClusterCertificateValidator
{
    public static CertificateValidationCallback For(X509Certificate2 clusterCa)
    {
        ArgumentNullException.ThrowIfNull(clusterCa);
        return (certificate, _, remotePeer, _, log) =>
        {
            if (IsSignedByCluster(certificate, clusterCa, out string problem)) return true;
            log?.Warning("Refused the TLS peer {0}: {1}", remotePeer, problem);
            return false;
        };
    }

    /// <summary>True when <paramref name="peer"/> is valid now and chains to <paramref name="clusterCa"/> and to nothing else.</summary>
    public static bool IsSignedByCluster(X509Certificate2? peer, X509Certificate2 clusterCa, out string problem)
    {
        if (peer is null) { problem = "it presented no certificate"; return false; }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(clusterCa);
        // A private cluster CA publishes no revocation list: revoking means a new CA (docs/security.md, "Rotation").
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (!chain.Build(peer))
        {
            problem = $"certificate '{peer.Subject}' does not chain to the cluster CA '{clusterCa.Subject}': "
                + string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()));
            return false;
        }
        var root = chain.ChainElements[^1].Certificate;
        if (!root.RawDataMemory.Span.SequenceEqual(clusterCa.RawDataMemory.Span))
        {
            problem = $"certificate '{peer.Subject}' chains to '{root.Subject}', not to the cluster CA";
            return false;
        }
        problem = "";
        return true;
    }
}

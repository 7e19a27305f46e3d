using Akka.Remote.Transport.DotNetty;

namespace RecurrentKif.Client.Security;

/// <summary>
/// Akka.Remote's DotNetty transport with TLS, mutual authentication and the cluster-CA check (docs/security.md):
/// each side presents its certificate, and each accepts the other only if it chains to the cluster CA.
/// </summary>
public static class ClusterTls
{
    /// <summary>Akka's address scheme of plain TCP remoting.</summary>
    public const string TcpScheme = "akka.tcp";
    /// <summary>Akka's address scheme once the DotNetty transport speaks TLS: a node's address changes with it.</summary>
    public const string TlsScheme = "akka.ssl.tcp";

    /// <summary>
    /// <paramref name="address"/> (an Akka address or actor path) with the scheme of the transport in use, so one
    /// configuration or contact list written as <c>akka.tcp://…</c> serves a cluster with and without TLS.
    /// </summary>
    public static string WithScheme(string address, bool tls)
    {
        ArgumentNullException.ThrowIfNull(address);
        string scheme = tls ? TlsScheme : TcpScheme;
        foreach (string known in new[] { TlsScheme, TcpScheme })
            if (address.StartsWith(known + "://", StringComparison.Ordinal)) return scheme + address[known.Length..];
        return address;
    }

    /// <summary>The setup for <c>ActorSystem.Create</c>; the config must also say <c>akka.remote.dot-netty.tcp.enable-ssl = on</c>.</summary>
    public static DotNettySslSetup SslSetup(ClusterTlsOptions tls)
    {
        var own = ClusterCertificates.LoadOwn(tls);
        var ca = ClusterCertificates.LoadCa(tls);
        return new DotNettySslSetup(own, suppressValidation: false, requireMutualAuthentication: true, validateCertificateHostname: false,
            customValidator: ClusterCertificateValidator.For(ca));
    }
}

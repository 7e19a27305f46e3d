using Akka.Remote.Transport.DotNetty;

namespace RecurrentKif.Client.Security;

/// <summary>
/// Akka.Remote's DotNetty transport with TLS, mutual authentication and the cluster-CA check (docs/security.md):
/// each side presents its certificate, and each accepts the other only if it chains to the cluster CA.
/// </summary>
public static class ClusterTls
{
    /// <summary>The setup for <c>ActorSystem.Create</c>; the config must also say <c>akka.remote.dot-netty.tcp.enable-ssl = on</c>.</summary>
    public static DotNettySslSetup SslSetup(ClusterTlsOptions tls)
    {
        var own = ClusterCertificates.LoadOwn(tls);
        var ca = ClusterCertificates.LoadCa(tls);
        return new DotNettySslSetup(own, suppressValidation: false, requireMutualAuthentication: true, validateCertificateHostname: false,
            customValidator: ClusterCertificateValidator.For(ca));
    }
}

using RecurrentKif.Client.Security;

namespace RecurrentKif.Integration.Tests;

/// <summary>
/// One development set of cluster certificates for the whole test run (what `rkif certs` writes, docs/security.md):
/// every test node speaks Akka.Remote over mutual TLS with the node certificate, every test client uses the client one.
/// </summary>
public static class DevCertificates
{
    private static readonly Lazy<string> Folder = new(() =>
    {
        string folder = Path.Combine(Directory.CreateTempSubdirectory("rkif-certs").FullName, "certs");
        ClusterCertificates.WriteDevelopmentSet(folder, Password, ["localhost", "127.0.0.1"], TimeSpan.FromDays(2));
        return folder;
    });

    public const string Password = "integration-test-password";

    public static string CaPath => Path.Combine(Folder.Value, ClusterCertificates.CaCertificateFile);

    public static ClusterTlsOptions Node => new(Path.Combine(Folder.Value, ClusterCertificates.NodeCertificateFile), Password, CaPath);

    public static ClusterTlsOptions Client => new(Path.Combine(Folder.Value, ClusterCertificates.ClientCertificateFile), Password, CaPath);

    /// <summary>The environment a node or the `rkif submit` client reads its TLS settings from.</summary>
    public static Dictionary<string, string> Environment(ClusterTlsOptions tls) => new()
    {
        ["RKIF_CLUSTER_TLS_CERTIFICATE"] = tls.CertificatePath,
        ["RKIF_CLUSTER_TLS_PASSWORD"] = tls.Password,
        ["RKIF_CLUSTER_TLS_CA"] = tls.CaPath,
    };
}

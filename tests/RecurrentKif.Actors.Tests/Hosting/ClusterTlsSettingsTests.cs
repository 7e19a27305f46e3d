using Akka.Configuration;
using RecurrentKif.Actors.Cluster;
using RecurrentKif.Actors.Settings;
using RecurrentKif.Client.Security;

namespace RecurrentKif.Actors.Tests.Hosting;

/// <summary>
/// rkif.cluster.tls (docs/security.md): plain TCP only on loopback or with insecure = on; with a certificate the node's
/// address and its seeds use TLS's scheme; a dev set from `rkif certs` passes the cluster-CA check and a foreign one fails.
/// </summary>
public sealed class ClusterTlsSettingsTests
{
    private static ClusterSettings Load(string cluster) =>
        ClusterSettings.Load(ConfigurationFactory.ParseString($"rkif.cluster {{ {cluster} }}")
            .WithFallback(ConfigurationFactory.ParseString(File.ReadAllText(RunConfigurationLoader.ReferencePath))), "node.conf");

    private static bool EnvironmentDecides =>
        new[] { "RKIF_CLUSTER_HOSTNAME", "RKIF_CLUSTER_SEEDS", "RKIF_CLUSTER_TLS_CERTIFICATE", "RKIF_CLUSTER_TLS_CA" }
            .Any(v => Environment.GetEnvironmentVariable(v) is { Length: > 0 });

    [Fact]
    public void Plain_tcp_off_loopback_is_refused_unless_insecure_is_said()
    {
        if (EnvironmentDecides) return;
        var error = Assert.Throws<RunConfigurationException>(() => Load("hostname = \"10.0.0.7\""));
        Assert.Contains("rkif.cluster.tls.certificate", error.Message);
        Assert.Null(Load("hostname = \"10.0.0.7\", tls.insecure = on").Tls);
        Assert.Null(Load("hostname = \"127.0.0.1\"").Tls);
    }

    [Fact]
    public void A_certificate_without_the_cluster_CA_is_refused()
    {
        if (EnvironmentDecides) return;
        var error = Assert.Throws<RunConfigurationException>(() => Load("tls.certificate = \"/etc/rkif/node.pfx\""));
        Assert.Contains("rkif.cluster.tls.ca", error.Message);
    }

    [Fact]
    public void With_tls_the_node_and_its_seeds_use_the_tls_scheme()
    {
        if (EnvironmentDecides) return;
        var settings = Load("""hostname = "10.0.0.7", seed-nodes = ["akka.tcp://rkif@10.0.0.7:25520", "node-b:25521"], tls { certificate = "/c/node.pfx", ca = "/c/ca.crt" }""");
        Assert.Equal(["akka.ssl.tcp://rkif@10.0.0.7:25520", "akka.ssl.tcp://rkif@node-b:25521"], settings.SeedNodes);
        Assert.StartsWith("akka.ssl.tcp://rkif@10.0.0.7:", settings.Address);
        Assert.Equal(new ClusterTlsOptions("/c/node.pfx", "", "/c/ca.crt"), settings.Tls);
    }

    [Fact]
    public void A_development_set_passes_the_cluster_CA_check_and_a_foreign_one_does_not()
    {
        string ours = Directory.CreateTempSubdirectory("rkif-certs-ours").FullName, theirs = Directory.CreateTempSubdirectory("rkif-certs-theirs").FullName;
        try
        {
            ClusterCertificates.WriteDevelopmentSet(ours, "pw", ["127.0.0.1"], TimeSpan.FromDays(1));
            ClusterCertificates.WriteDevelopmentSet(theirs, "pw", ["127.0.0.1"], TimeSpan.FromDays(1));
            var node = new ClusterTlsOptions(Path.Combine(ours, ClusterCertificates.NodeCertificateFile), "pw", Path.Combine(ours, ClusterCertificates.CaCertificateFile));
            var foreign = new ClusterTlsOptions(Path.Combine(theirs, ClusterCertificates.ClientCertificateFile), "pw", Path.Combine(theirs, ClusterCertificates.CaCertificateFile));
            using var ca = ClusterCertificates.LoadCa(node);
            using var own = ClusterCertificates.LoadOwn(node);
            using var stranger = ClusterCertificates.LoadOwn(foreign);
            using var client = ClusterCertificates.LoadOwn(node with { CertificatePath = Path.Combine(ours, ClusterCertificates.ClientCertificateFile) });

            Assert.True(own.HasPrivateKey);
            Assert.True(ClusterCertificateValidator.IsSignedByCluster(own, ca, out _));
            Assert.True(ClusterCertificateValidator.IsSignedByCluster(client, ca, out _));
            Assert.False(ClusterCertificateValidator.IsSignedByCluster(stranger, ca, out string problem));
            Assert.Contains("does not chain to the cluster CA", problem);
            Assert.False(ClusterCertificateValidator.IsSignedByCluster(null, ca, out _));
            // A second run into the same folder would make a CA the running cluster does not trust.
            Assert.Throws<IOException>(() => ClusterCertificates.WriteDevelopmentSet(ours, "pw", ["127.0.0.1"], TimeSpan.FromDays(1)));
        }
        finally
        {
            Directory.Delete(ours, recursive: true);
            Directory.Delete(theirs, recursive: true);
        }
    }
}

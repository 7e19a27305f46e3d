using Akka.Configuration;
using RecurrentKif.Actors.Cluster;
using RecurrentKif.Actors.Settings;

namespace RecurrentKif.Actors.Tests.Hosting;

/// <summary>Seeds from rkif.cluster.seed-nodes: full Akka addresses or the host:port shorthand; anything else is refused by key.</summary>
public sealed class ClusterSeedsTests
{
    private static ClusterSettings Load(string seeds) =>
        ClusterSettings.Load(ConfigurationFactory.ParseString($"rkif.cluster.seed-nodes = {seeds}")
            .WithFallback(ConfigurationFactory.ParseString(File.ReadAllText(RunConfigurationLoader.ReferencePath))), "node.conf");

    [Fact]
    public void Full_addresses_and_the_host_port_shorthand_give_the_same_seeds() =>
        Assert.Equal(["akka.tcp://rkif@10.0.0.7:25520", "akka.tcp://rkif@node-b:25521"],
            Load("""["akka.tcp://rkif@10.0.0.7:25520", "node-b:25521"]""").SeedNodes);

    [Theory]
    [InlineData("""["akka.tcp://other@10.0.0.7:25520"]""")]
    [InlineData("""["node-b"]""")]
    [InlineData("""[]""")]
    public void Other_seeds_are_refused_naming_the_key(string seeds)
    {
        if (Environment.GetEnvironmentVariable("RKIF_CLUSTER_SEEDS") is { Length: > 0 }) return; // the environment would win
        var error = Assert.Throws<RunConfigurationException>(() => Load(seeds));
        Assert.Contains("rkif.cluster.seed-nodes", error.Message);
    }
}

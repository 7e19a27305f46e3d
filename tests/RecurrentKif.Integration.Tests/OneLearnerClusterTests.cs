using System.Diagnostics;
using RecurrentKif.Gpu.Checkpoints;

namespace RecurrentKif.Integration.Tests;

/// <summary>
/// Recurrent-KIF-DP with one learner is Recurrent-KIF: a one-node cluster (coordinator and learner, the cycle going
/// through the learner group, StreamRefs and group commits) ends with the same final adapter, bit for bit, as
/// `rkif run` of the same configuration in one process.
/// </summary>
public sealed class OneLearnerClusterTests
{
    [Fact]
    public async Task AOneLearnerClusterTrainsTheSameAdapterAsTheSingleProcessRun()
    {
        using var single = new TinyRun();
        var reference = single.Run();
        Assert.True(reference.ExitCode == 0, reference.Output);

        using var clustered = new TinyRun();
        int port = PostgresServer.FreePort();
        using var node = new NodeProcess("node", $"node \"{clustered.ConfigPath}\"",
            new Dictionary<string, string>
            {
                ["RKIF_CLUSTER_PORT"] = port.ToString(), ["RKIF_CLUSTER_SEEDS"] = $"akka.tcp://rkif@127.0.0.1:{port}",
                ["RKIF_CLUSTER_ROLES"] = "coordinator,learner", ["RKIF_LEARNER_NAME"] = "only",
            });
        string adapter = Path.Combine(clustered.RunFolder, "checkpoints", "learners", "only", "task02-final.adapter");
        var clock = Stopwatch.StartNew();
        while (!node.Output.Contains("after compare") && clock.Elapsed < TimeSpan.FromMinutes(5) && !node.HasExited) await Task.Delay(250);
        Assert.True(File.Exists(adapter), $"no final adapter after {clock.Elapsed.TotalSeconds:F0} s:\n{node.Output}");
        Assert.Equal(AtomicFile.Sha256Of(single.FinalAdapter), AtomicFile.Sha256Of(adapter));
    }
}

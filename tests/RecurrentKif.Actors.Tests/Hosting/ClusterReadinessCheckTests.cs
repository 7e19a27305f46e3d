using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Akka.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RecurrentKif.Actors.Gateway;
using RecurrentKif.Actors.Hosting;
using RecurrentKif.Actors.Hosting.Health;
using RecurrentKif.Actors.Tests.Gateway;
using RecurrentKif.Messages;

namespace RecurrentKif.Actors.Tests.Hosting;

/// <summary>
/// Readiness on a one-node cluster with the real gateway actor in front of a probe as coordinator: not ready before
/// the node is Up, not ready (within the probe timeout, not hanging) while the coordinator is silent, ready once it
/// answers.
/// </summary>
public sealed class ClusterReadinessCheckTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly NodeHealthOptions Options = new() { ProbeTimeout = TimeSpan.FromSeconds(1) };
    private readonly TaskFolder folder = new();

    public ClusterReadinessCheckTests() : base(ConfigurationFactory.ParseString("""
        akka {
          loglevel = WARNING
          actor.provider = cluster
          remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
          cluster.seed-nodes = []
        }
        """), "rkif") { }

    private Task<HealthCheckResult> Probe(IReadOnlyActorRegistry registry) =>
        new ClusterReadinessCheck(Sys, registry, Options).CheckHealthAsync(new HealthCheckContext());

    [Fact]
    public async Task Ready_only_when_Up_and_the_coordinator_answers()
    {
        var coordinator = CreateTestProbe();
        var registry = new ActorRegistry();
        registry.Register<TaskGatewayActor>(Sys.ActorOf(TaskGatewayActor.Props(folder.Settings(TimeSpan.FromSeconds(5)), coordinator)));

        var joining = await Probe(registry);
        Assert.Equal(HealthStatus.Unhealthy, joining.Status);
        Assert.Contains("not Up", joining.Description);

        var cluster = Akka.Cluster.Cluster.Get(Sys);
        cluster.Join(cluster.SelfAddress);
        AwaitCondition(() => cluster.SelfMember.Status == MemberStatus.Up, TimeSpan.FromSeconds(20));

        // A coordinator that never answers: unhealthy after the probe timeout, not a hang.
        var clock = Stopwatch.StartNew();
        var silent = await Probe(registry);
        Assert.Equal(HealthStatus.Unhealthy, silent.Status);
        Assert.Contains("did not answer", silent.Description);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the probe took {clock.Elapsed}");
        coordinator.ExpectMsg<GetRunStatus>();

        var answering = Probe(registry);
        coordinator.ExpectMsg<GetRunStatus>();
        coordinator.Reply(new RunStatus("run", [], 0, "waiting", 0, 0, null, [], false, "akka.tcp://rkif@127.0.0.1:1", []));
        Assert.Equal(HealthStatus.Healthy, (await answering).Status);
    }

    [Fact]
    public async Task Without_a_gateway_the_node_is_not_ready()
    {
        var cluster = Akka.Cluster.Cluster.Get(Sys);
        cluster.Join(cluster.SelfAddress);
        AwaitCondition(() => cluster.SelfMember.Status == MemberStatus.Up, TimeSpan.FromSeconds(20));
        var result = await Probe(new ActorRegistry());
        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("gateway", result.Description);
    }

    protected override void Dispose(bool disposing)
    {
        folder.Dispose();
        base.Dispose(disposing);
    }
}

using Akka.Actor;
using Akka.Cluster.Tools.Singleton;
using Akka.Hosting;
using RecurrentKif.Actors.Cluster;
using RecurrentKif.Actors.Gateway;
using RecurrentKif.Actors.Pipeline;
using Serilog;

namespace RecurrentKif.Actors.Hosting;

/// <summary>Registry key of the node's proxy to the RunCoordinator singleton.</summary>
public sealed class RunCoordinatorProxy;

/// <summary>
/// The actors of one <c>rkif node</c>, started by the host once the ActorSystem is up. By role, the node may host the
/// RunCoordinator (a cluster singleton: it runs on the oldest coordinator-role node and moves to the next one when that
/// node is downed, recovering the run from the shared journal) and trains as a learner on its device. Every node reaches
/// the coordinator through a singleton proxy, so learners and gateways keep working across a fail-over.
/// </summary>
public static class NodeActors
{
    public const string CoordinatorName = "run-coordinator";
    public const string CoordinatorProxyName = "run-coordinator-proxy";
    private const string SingletonName = "coordinator";

    public static void Start(ActorSystem system, IActorRegistry registry, NodeOptions options, ComputeContext compute)
    {
        var (run, cluster) = (options.Run, options.Cluster);
        if (cluster.IsCoordinator)
        {
            var tasks = TaskCatalog.Load(run);
            system.ActorOf(ClusterSingletonManager.Props(
                    RunCoordinator.Supervised(run, compute, tasks, completion: null, new ClusterMode(cluster.MinLearners)),
                    PoisonPill.Instance,
                    ClusterSingletonManagerSettings.Create(system).WithRole(ClusterSettings.CoordinatorRole).WithSingletonName(SingletonName)),
                CoordinatorName);
        }
        var coordinator = system.ActorOf(ClusterSingletonProxy.Props($"/user/{CoordinatorName}",
                ClusterSingletonProxySettings.Create(system).WithRole(ClusterSettings.CoordinatorRole).WithSingletonName(SingletonName).WithBufferSize(10000)),
            CoordinatorProxyName);
        registry.Register<RunCoordinatorProxy>(coordinator);
        if (cluster.IsLearner)
            system.ActorOf(LearnerWorkerActor.Props(compute, run, cluster.LearnerName, coordinator), "learner-worker");
        // Every node takes submissions (ClusterClient, and HTTP where configured) and forwards them to the coordinator,
        // so other services keep a way in when any one node is down.
        registry.Register<TaskGatewayActor>(TaskGateway.Start(system, options.Gateway, coordinator));
        // Read back from the running system's config, so the log shows what Akka got rather than what was meant.
        var akka = system.Settings.Config;
        Log.Information("Node {Address} up with roles [{Roles}], joining {Seeds}; split brain resolver {Strategy}, stable-after {StableAfter}",
            cluster.Address, string.Join(", ", cluster.Roles), string.Join(", ", cluster.SeedNodes),
            akka.GetString("akka.cluster.split-brain-resolver.active-strategy"), akka.GetTimeSpan("akka.cluster.split-brain-resolver.stable-after"));
    }
}

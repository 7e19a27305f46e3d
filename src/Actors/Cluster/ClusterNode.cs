using Akka.Actor;
using Akka.Cluster.Tools.Singleton;
using RecurrentKif.Actors.Gateway;
using RecurrentKif.Actors.Pipeline;
using RecurrentKif.Actors.Settings;
using RecurrentKif.Gpu.Checkpoints;
using Serilog;

namespace RecurrentKif.Actors.Cluster;

/// <summary>
/// One <c>rkif node</c> process: joins the cluster and, by role, may host the RunCoordinator (a cluster singleton: it
/// runs on the oldest coordinator-role node and moves to the next one when that node is downed, recovering the run
/// from the shared journal) and trains as a learner on its device. Every node reaches the coordinator through a
/// singleton proxy, so learners and gateways keep working across a fail-over.
/// </summary>
public sealed class ClusterNode : IAsyncDisposable
{
    public const string CoordinatorName = "run-coordinator";
    public const string CoordinatorProxyName = "run-coordinator-proxy";

    private readonly ComputeContext _compute;
    private readonly IActorRef _gateway;
    private HttpTaskGateway? _http;

    public ActorSystem System { get; }
    /// <summary>The RunCoordinator wherever it runs (buffers messages while it moves).</summary>
    public IActorRef Coordinator { get; }
    public ClusterSettings Settings { get; }
    /// <summary>The HTTP gateway's address, when this node serves one.</summary>
    public string? HttpUrl => _http?.Url.ToString();

    private ClusterNode(RunConfiguration run, ClusterSettings settings, GatewaySettings gateway)
    {
        Settings = settings;
        Directory.CreateDirectory(run.CheckpointFolder);
        AtomicFile.CleanStaleTemporaries(run.CheckpointFolder);
        System = ActorSystemFactory.Create(run, ClusterSettings.SystemName, settings.ToHocon());
        _compute = new ComputeContext(() => new ModelHost(run));
        if (settings.IsCoordinator)
        {
            var tasks = TaskCatalog.Load(run);
            System.ActorOf(ClusterSingletonManager.Props(
                    RunCoordinator.Props(run, _compute, tasks, completion: null, new ClusterMode(settings.MinLearners)),
                    PoisonPill.Instance,
                    ClusterSingletonManagerSettings.Create(System).WithRole(ClusterSettings.CoordinatorRole).WithSingletonName("coordinator")),
                CoordinatorName);
        }
        Coordinator = System.ActorOf(ClusterSingletonProxy.Props($"/user/{CoordinatorName}",
                ClusterSingletonProxySettings.Create(System).WithRole(ClusterSettings.CoordinatorRole).WithSingletonName("coordinator").WithBufferSize(10000)),
            CoordinatorProxyName);
        if (settings.IsLearner)
            System.ActorOf(LearnerWorkerActor.Props(_compute, run, settings.LearnerName, Coordinator), "learner-worker");
        // Every node takes submissions (ClusterClient, and HTTP where configured) and forwards them to the coordinator,
        // so other services keep a way in when any one node is down.
        _gateway = TaskGateway.Start(System, gateway, Coordinator);
        Log.Information("Node {Address} up with roles [{Roles}], joining {Seeds}", settings.Address, string.Join(", ", settings.Roles), string.Join(", ", settings.SeedNodes));
    }

    public static async Task<ClusterNode> StartAsync(RunConfiguration run, ClusterSettings settings, GatewaySettings gateway, CancellationToken cancellation)
    {
        var node = new ClusterNode(run, settings, gateway);
        try
        {
            if (gateway.HttpPort > 0)
                node._http = await HttpTaskGateway.StartAsync(gateway, node._gateway, cancellation);
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
        return node;
    }

    public async ValueTask DisposeAsync()
    {
        if (_http is not null) await _http.DisposeAsync();
        await CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClrExitReason.Instance);
        _compute.Dispose();
    }
}

using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Cluster;
using Akka.Cluster.Tools.Client;
using Akka.Configuration;
using RecurrentKif.Actors.Gateway;
using RecurrentKif.Client.Security;
using RecurrentKif.Gpu.Data;
using RecurrentKif.Messages;

namespace RecurrentKif.Integration.Tests;

/// <summary>
/// `rkif submit` and `rkif cluster-status` as real processes against a gateway hosted in this test process (a one-node
/// cluster named "rkif" whose coordinator queues whatever reaches it), over HTTP and over ClusterClient.
/// </summary>
public sealed class SubmitCommandTests : IAsyncLifetime
{
    private const string Token = "cli-test-token-0123456789";
    private readonly string dataRoot = Path.Combine(Path.GetTempPath(), "rkif-submit-" + Guid.NewGuid().ToString("N"));
    private ActorSystem? system;
    private HttpTaskGateway? http;
    private Address? node;

    public async Task InitializeAsync()
    {
        var examples = Enumerable.Range(0, 4).Select(i => new TaskExample($"p_{i}", "Even?", i.ToString(), i % 2 == 0 ? "yes" : "no")).ToArray();
        foreach (string split in new[] { "train", "dev" }) TaskFileWriter.Write(Path.Combine(dataRoot, "incoming", split, "parity.json"), examples);

        // Over mutual TLS with the test run's cluster certificates, as every node now speaks (docs/security.md).
        var config = ConfigurationFactory.ParseString("""
            akka {
              loglevel = WARNING
              actor.provider = cluster
              remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0, enable-ssl = on }
              cluster.seed-nodes = []
              extensions = ["Akka.Cluster.Tools.Client.ClusterClientReceptionistExtensionProvider, Akka.Cluster.Tools"]
            }
            """).WithFallback(RecurrentKif.Client.Wire.MessageSerializer.Bindings).WithFallback(ClusterClientReceptionist.DefaultConfig());
        system = ActorSystem.Create("rkif", BootstrapSetup.Create().WithConfig(config).And(ClusterTls.SslSetup(DevCertificates.Node)));
        var cluster = Cluster.Get(system);
        var up = new TaskCompletionSource();
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        cluster.Join(cluster.SelfAddress);
        await up.Task.WaitAsync(TimeSpan.FromSeconds(60));
        node = cluster.SelfAddress;

        var settings = new GatewaySettings { Token = Token, DataRoot = dataRoot, AskTimeout = TimeSpan.FromSeconds(20) };
        var gateway = TaskGateway.Start(system, settings, system.ActorOf(Props.Create(() => new QueueingCoordinator())));
        http = await HttpTaskGateway.StartAsync(settings, gateway, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (http is not null) await http.DisposeAsync();
        if (system is not null) await system.Terminate();
        Directory.Delete(dataRoot, recursive: true);
    }

    private static Task<RkifProcess.Result> Rkif(string arguments, string? token = Token) =>
        Task.Run(() => RkifProcess.Run(arguments, WithToken(DevCertificates.Environment(DevCertificates.Client), token), TimeSpan.FromMinutes(2)));

    private static Dictionary<string, string> WithToken(Dictionary<string, string> environment, string? token)
    {
        if (token is not null) environment["RKIF_GATEWAY_TOKEN"] = token;
        return environment;
    }

    [Fact]
    public async Task Submit_and_cluster_status_over_http()
    {
        var queued = await Rkif($"submit --http {http!.Url} --name parity --source incoming");
        Assert.True(queued.ExitCode == 0, queued.Output);
        Assert.Contains("queued task 'parity' as task 0", queued.Output);

        var escape = await Rkif($"submit --http {http.Url} --name parity --source ../elsewhere");
        Assert.Equal(2, escape.ExitCode);
        Assert.Contains("refused (Invalid)", escape.Output);
        Assert.Contains("outside the data root", escape.Output);

        var wrongToken = await Rkif($"submit --http {http.Url} --name parity --source incoming", "wrong-token-0123456789");
        Assert.Equal(2, wrongToken.ExitCode);
        Assert.Contains("refused (Unauthenticated)", wrongToken.Output);

        var status = await Rkif($"cluster-status --http {http.Url}");
        Assert.True(status.ExitCode == 0, status.Output);
        Assert.Contains("run cli-run: task 1/1 (parity), training, step 0/10", status.Output);
    }

    [Fact]
    public async Task Submit_and_cluster_status_over_cluster_client_and_clear_errors_for_bad_arguments()
    {
        var queued = await Rkif($"submit --contact {node} --name parity --source incoming");
        Assert.True(queued.ExitCode == 0, queued.Output);
        Assert.Contains("queued task 'parity' as task 0", queued.Output);

        var status = await Rkif($"cluster-status --contact {node}");
        Assert.True(status.ExitCode == 0, status.Output);
        // Status over ClusterClient needs the token too: it names tasks, folders and node addresses.
        var statusWithoutToken = await Rkif($"cluster-status --contact {node}", token: null);
        Assert.Equal(2, statusWithoutToken.ExitCode);
        Assert.Contains("no gateway token", statusWithoutToken.Output);
        // Over TLS a node's address has the scheme akka.ssl.tcp (docs/security.md).
        Assert.Contains("coordinator: akka.ssl.tcp://rkif@", status.Output);

        var noTarget = await Rkif("submit --name parity --source incoming");
        Assert.Equal(2, noTarget.ExitCode);
        Assert.Contains("--contact akka.tcp://rkif@host:port", noTarget.Output);
        var noToken = await Rkif($"submit --contact {node} --name parity --source incoming", token: null);
        Assert.Equal(2, noToken.ExitCode);
        Assert.Contains("no gateway token", noToken.Output);
    }

    /// <summary>Stands in for the run's coordinator: queues every task it is sent, in order, and reports them.</summary>
    private sealed class QueueingCoordinator : ReceiveActor
    {
        private readonly List<string> tasks = [];

        public QueueingCoordinator()
        {
            Receive<QueueTask>(queue =>
            {
                tasks.Add(queue.Name);
                Sender.Tell(TaskSubmissionResult.Queued(queue.Name, tasks.Count - 1));
            });
            Receive<GetRunStatus>(_ => Sender.Tell(new RunStatus("cli-run", tasks.ToArray(), 0, "training", 0, 10, null,
                Array.Empty<IReadOnlyList<double>>(), false, Cluster.Get(Context.System).SelfAddress.ToString(), Array.Empty<string>())));
        }
    }
}

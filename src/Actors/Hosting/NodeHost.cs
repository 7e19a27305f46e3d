using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Tools.Client;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Cluster.Tools.Singleton;
using Akka.Hosting;
using Akka.Persistence.Sql.Hosting;
using Akka.Remote.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using RecurrentKif.Actors.Cluster;
using RecurrentKif.Actors.Hosting.Health;
using RecurrentKif.Actors.Pipeline;
using RecurrentKif.Gpu.Checkpoints;
using Serilog;

namespace RecurrentKif.Actors.Hosting;

/// <summary>
/// One <c>rkif node</c> process on Microsoft.Extensions.Hosting and Akka.Hosting (docs/architecture.md, "The hosted
/// node"): the ActorSystem with remoting, clustering, the SQL journal and the node's actors, configured from
/// <see cref="NodeOptions"/>; the HTTP task gateway; the health checks behind its <c>/health</c>; and the Launcher's
/// Serilog logger for everything the host and Akka log.
/// </summary>
public sealed class NodeHost : IAsyncDisposable
{
    /// <summary>How long a stop may take before the host gives up waiting (Akka's coordinated shutdown runs inside it).</summary>
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(30);

    private readonly IHost _host;
    private readonly ComputeContext _compute;

    private NodeHost(IHost host, ComputeContext compute) => (_host, _compute) = (host, compute);

    public IServiceProvider Services => _host.Services;
    public ActorSystem System => _host.Services.GetRequiredService<ActorSystem>();
    /// <summary>The HTTP gateway's address, when this node serves one.</summary>
    public string? HttpUrl => _host.Services.GetRequiredService<HttpGatewayService>().Url;

    public static async Task<NodeHost> StartAsync(NodeOptions options, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(options.Run.DataRoot);
        Directory.CreateDirectory(options.Run.CheckpointFolder);
        AtomicFile.CleanStaleTemporaries(options.Run.CheckpointFolder);
        var compute = new ComputeContext(() => new ModelHost(options.Run));
        var node = new NodeHost(Build(options, compute), compute);
        try
        {
            await node._host.StartAsync(cancellation).ConfigureAwait(false);
        }
        catch
        {
            await node.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return node;
    }

    private static IHost Build(NodeOptions options, ComputeContext compute)
    {
        // The empty builder reads no appsettings.json, environment or command line: the node is configured by its
        // HOCON file (bound into NodeOptions) alone.
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSerilog(HostLogger(), dispose: false);
        // Ctrl-C and SIGTERM belong to the command line (NodeCommand stops the host); no second signal handler.
        builder.Services.AddSingleton<IHostLifetime, CommandLineLifetime>();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(options.Health);
        builder.Services.AddSingleton(options.Journal);
        builder.Services.AddAkka(ClusterSettings.SystemName, (akka, _) => ConfigureAkka(akka, options, compute));
        AddHealthChecks(builder.Services, options.Health);
        builder.Services.AddSingleton<HttpGatewayService>();
        builder.Services.AddHostedService(services => services.GetRequiredService<HttpGatewayService>());
        return builder.Build();
    }

    /// <summary>
    /// The Launcher's Log.Logger, less the health check service's own line per failed probe (an error with a stack trace
    /// every few seconds while, say, the journal is down): <see cref="Gateway.HealthEndpoint"/> logs each check's
    /// changes of state instead. Everything else passes through, and Log.Logger's own levels and sinks decide.
    /// </summary>
    private static Serilog.ILogger HostLogger() => new LoggerConfiguration()
        .MinimumLevel.Verbose()
        .Filter.ByExcluding(Serilog.Filters.Matching.FromSource("Microsoft.Extensions.Diagnostics.HealthChecks"))
        .WriteTo.Logger(Log.Logger)
        .CreateLogger();

    private static void ConfigureAkka(AkkaConfigurationBuilder akka, NodeOptions options, ComputeContext compute)
    {
        var journal = options.Journal;
        akka.ConfigureLoggers(loggers =>
            {
                loggers.LogLevel = Akka.Event.LogLevel.InfoLevel;
                loggers.ClearLoggers();
                // Akka's own events straight to Serilog, as in `rkif run`. Akka.Hosting's AddLoggerFactory bridge was tried
                // and printed Akka's positional templates with shifted arguments ("Node [coordinator] is JOINING itself
                // (with roles [1.0.0], …)"), so it is not used.
                loggers.AddLogger<SerilogAkkaLogger>();
            })
            .AddHocon(ClusterHostingSetup.SplitBrainResolver(options.Cluster), HoconAddMode.Prepend)
            .AddHocon(ActorSystemFactory.AkkaSettings, HoconAddMode.Append)
            .WithRemoting(ClusterHostingSetup.Remote(options.Cluster))
            .WithClustering(ClusterHostingSetup.Clustering(options.Cluster))
            .WithClusterClientReceptionist()
            .WithSqlPersistence(journal.JournalOptions(), journal.SnapshotOptions())
            .AddHocon(ClusterSingleton.DefaultConfig()
                .WithFallback(ClusterClientReceptionist.DefaultConfig())
                .WithFallback(DistributedPubSub.DefaultConfig()), HoconAddMode.Append)
            .WithActors((system, registry) => NodeActors.Start(system, registry, options, compute));
    }

    /// <summary>
    /// Liveness, readiness and the journal (<see cref="NodeHealthChecks"/>). Each probe bounds its own wait by
    /// <see cref="NodeHealthOptions.ProbeTimeout"/>; the registration's timeout, a little longer, is the backstop.
    /// </summary>
    private static void AddHealthChecks(IServiceCollection services, NodeHealthOptions health)
    {
        var backstop = health.ProbeTimeout + TimeSpan.FromSeconds(1);
        services.AddHealthChecks()
            .Add(new HealthCheckRegistration(NodeHealthChecks.Liveness,
                s => ActivatorUtilities.CreateInstance<ActorSystemAliveCheck>(s), HealthStatus.Unhealthy,
                [NodeHealthChecks.LiveTag], backstop))
            .Add(new HealthCheckRegistration(NodeHealthChecks.Readiness,
                s => ActivatorUtilities.CreateInstance<ClusterReadinessCheck>(s), HealthStatus.Unhealthy,
                [NodeHealthChecks.ReadyTag], backstop))
            .Add(new HealthCheckRegistration(NodeHealthChecks.Journal,
                s => ActivatorUtilities.CreateInstance<JournalReachableCheck>(s), HealthStatus.Unhealthy,
                [NodeHealthChecks.ReadyTag], backstop));
    }

    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(ShutdownTimeout))
        {
            try { await _host.StopAsync(timeout.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) { Log.Warning("The node did not stop within {Timeout}", ShutdownTimeout); }
        }
        _host.Dispose();
        _compute.Dispose();
    }

    /// <summary>An <see cref="IHostLifetime"/> that leaves process signals to the command line.</summary>
    private sealed class CommandLineLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

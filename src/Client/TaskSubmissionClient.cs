using System.Collections.Immutable;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Cluster.Tools.Client;
using Akka.Configuration;
using RecurrentKif.Client.Security;
using RecurrentKif.Client.Wire;
using RecurrentKif.Messages;

namespace RecurrentKif.Client;

/// <summary>
/// Submits tasks to a RecurrentKif cluster from another .NET process, through Akka's ClusterClient: the client needs
/// no cluster membership, only the address of one or more nodes (their ClusterClientReceptionist relays to the
/// node's task gateway). It runs its own small ActorSystem (remote provider, ephemeral port); dispose it when done.
/// </summary>
public sealed class TaskSubmissionClient : IAsyncDisposable
{
    /// <summary>Where every node takes ClusterClient callers: the door to its task gateway (ClusterClientDoor.Path on the server side).</summary>
    public const string GatewayPath = "/user/client-door/task-gateway";

    private readonly ActorSystem system;
    private readonly IActorRef clusterClient;
    private readonly string contactList;

    private TaskSubmissionClient(ActorSystem system, IActorRef clusterClient, string contactList) =>
        (this.system, this.clusterClient, this.contactList) = (system, clusterClient, contactList);

    /// <param name="contacts">Cluster node addresses such as <c>akka.tcp://rkif@127.0.0.1:25520</c> (or their
    /// <c>…/system/receptionist</c> paths); any one that answers is enough.</param>
    /// <param name="hostname">The address this client listens on for answers; it must be reachable from the nodes.</param>
    /// <param name="overrides">HOCON over the client system's own, e.g. <c>akka.loggers</c> to route its log into the
    /// caller's logging (by default Akka prints warnings, such as an unreachable contact, to stdout).</param>
    /// <param name="tls">The client's certificate and the cluster CA, for a cluster that speaks TLS (docs/security.md);
    /// null only for a cluster started with <c>rkif.cluster.tls.insecure = on</c> or on loopback without TLS.</param>
    public static TaskSubmissionClient Connect(IEnumerable<string> contacts, string hostname = "127.0.0.1", Config? overrides = null,
        ClusterTlsOptions? tls = null)
    {
        ArgumentNullException.ThrowIfNull(contacts);
        ArgumentException.ThrowIfNullOrWhiteSpace(hostname);
        var receptionists = contacts.Select(c => ReceptionistPath(c, tls is not null)).ToArray();
        if (receptionists.Length == 0) throw new ArgumentException("at least one cluster contact is needed, e.g. akka.tcp://rkif@127.0.0.1:25520", nameof(contacts));
        if (hostname.Any(c => c is '"' or '\\' || char.IsWhiteSpace(c))) throw new ArgumentException($"'{hostname}' is not a host name or IP address", nameof(hostname));

        var config = ConfigurationFactory.ParseString($$"""
            akka {
              loglevel = WARNING
              stdout-loglevel = WARNING
              actor.provider = remote
              remote.dot-netty.tcp { hostname = "{{hostname}}", port = 0, enable-ssl = {{(tls is null ? "off" : "on")}} }
            }
            """).WithFallback(MessageSerializer.Bindings).WithFallback(ClusterClientReceptionist.DefaultConfig());
        if (overrides is not null) config = overrides.WithFallback(config);
        var bootstrap = BootstrapSetup.Create().WithConfig(config);
        var system = ActorSystem.Create("rkif-client", tls is null ? ActorSystemSetup.Create(bootstrap) : bootstrap.And(ClusterTls.SslSetup(tls)));
        var settings = ClusterClientSettings.Create(system).WithInitialContacts(receptionists.ToImmutableHashSet());
        var clusterClient = system.ActorOf(ClusterClient.Props(settings), "task-submission");
        return new TaskSubmissionClient(system, clusterClient, string.Join(", ", receptionists.Select(r => r.Address.ToString())));
    }

    /// <summary>
    /// Asks the cluster to learn the task in <paramref name="source"/> (a folder under the cluster's data root holding
    /// train/dev[/test]/&lt;name&gt;.json). No answer within <paramref name="timeout"/> is reported as
    /// <see cref="SubmissionRefusal.Unavailable"/>: the submission may or may not have been queued, and resubmitting is
    /// safe (a queued name is refused as <see cref="SubmissionRefusal.Duplicate"/>).
    /// </summary>
    public async Task<TaskSubmissionResult> SubmitAsync(string name, string source, string token, TimeSpan timeout)
    {
        try
        {
            return await clusterClient.Ask<TaskSubmissionResult>(Send(new SubmitTask(name, source, token)), timeout).ConfigureAwait(false);
        }
        catch (AskTimeoutException)
        {
            return TaskSubmissionResult.Refused(name, SubmissionRefusal.Unavailable,
                $"no answer from the cluster's task gateway within {timeout.TotalSeconds:0.#} s (contacts: {contactList})");
        }
    }

    /// <summary>Where the run stands, from its coordinator. Throws <see cref="TimeoutException"/> when nobody answers in time.</summary>
    /// <param name="token">The gateway token: the gateway answers a status request from another process only with it.</param>
    public async Task<RunStatus> StatusAsync(string token, TimeSpan timeout)
    {
        try
        {
            return await clusterClient.Ask<RunStatus>(Send(new GetRunStatus(token)), timeout).ConfigureAwait(false);
        }
        catch (UnauthorizedAccessException e)
        {
            // The gateway's refusal (wrong or missing token), as one clear line for the command line.
            throw new InvalidOperationException($"the cluster's task gateway refused the status request: {e.Message}", e);
        }
        catch (AskTimeoutException)
        {
            throw new TimeoutException($"no status from the cluster's task gateway within {timeout.TotalSeconds:0.#} s (contacts: {contactList})");
        }
    }

    public async ValueTask DisposeAsync() => await system.Terminate().ConfigureAwait(false);

    private static ClusterClient.Send Send(object message) => new(GatewayPath, message, localAffinity: false);

    private static ActorPath ReceptionistPath(string contact, bool tls)
    {
        // A node over TLS has an akka.ssl.tcp:// address; a contact written akka.tcp:// means the same node.
        string text = ClusterTls.WithScheme((contact ?? "").Trim().TrimEnd('/'), tls);
        if (!text.EndsWith("/system/receptionist", StringComparison.Ordinal)) text += "/system/receptionist";
        return ActorPath.TryParse(text, out ActorPath? path) && path is not null && path.Address.HasGlobalScope
               && path.ToStringWithoutAddress() == "/system/receptionist"
            ? path
            : throw new ArgumentException($"cluster contact '{contact}' is not a node address like akka.tcp://rkif@127.0.0.1:25520");
    }
}

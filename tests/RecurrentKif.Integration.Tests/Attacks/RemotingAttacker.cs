using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using RecurrentKif.Client.Security;

namespace RecurrentKif.Integration.Tests.Attacks;

/// <summary>
/// A process that reaches a node's Akka.Remote port from outside the cluster (never a member): without TLS, with a
/// certificate from another CA, or with a valid cluster certificate. It sends whatever a stranger would.
/// </summary>
public sealed class RemotingAttacker : IAsyncDisposable
{
    private readonly bool _tls;

    private RemotingAttacker(ActorSystem system, bool tls) => (System, _tls) = (system, tls);

    public ActorSystem System { get; }

    public static RemotingAttacker Start(ClusterTlsOptions? tls)
    {
        var config = ConfigurationFactory.ParseString($$"""
            akka {
              loglevel = WARNING
              stdout-loglevel = OFF
              actor.provider = remote
              remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0, enable-ssl = {{(tls is null ? "off" : "on")}} }
            }
            """)
            // The strongest stranger speaks the cluster's own wire format (MessageSerializer, ClusterMessageSerializer).
            .WithFallback(RecurrentKif.Actors.ActorSystemFactory.AkkaSettings);
        var bootstrap = BootstrapSetup.Create().WithConfig(config);
        var system = ActorSystem.Create("attacker", tls is null ? ActorSystemSetup.Create(bootstrap) : bootstrap.And(ClusterTls.SslSetup(tls)));
        return new RemotingAttacker(system, tls is not null);
    }

    /// <summary>An actor on the node at <paramref name="port"/>, addressed with the scheme of this attacker's own transport.</summary>
    public ActorSelection At(int port, string path) =>
        System.ActorSelection($"{(_tls ? ClusterTls.TlsScheme : ClusterTls.TcpScheme)}://rkif@127.0.0.1:{port}{path}");

    /// <summary>Whether the actor at <paramref name="path"/> answers an Identify within <paramref name="timeout"/> (it is reachable and alive).</summary>
    public async Task<bool> Reaches(int port, string path, TimeSpan timeout)
    {
        try { return (await At(port, path).Ask<ActorIdentity>(new Identify(path), timeout)).Subject is not null; }
        catch (AskTimeoutException) { return false; }
    }

    public async ValueTask DisposeAsync() => await System.Terminate();
}

using Akka.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using RecurrentKif.Actors.Gateway;

namespace RecurrentKif.Actors.Hosting;

/// <summary>
/// The node's HTTP task gateway as a hosted service: registered after Akka, so it starts once the gateway actor
/// exists and stops before the ActorSystem does. Serves the node's health checks at <c>GET /health</c>.
/// Does nothing when rkif.gateway.http.port is 0.
/// </summary>
public sealed class HttpGatewayService(NodeOptions options, ActorRegistry registry, HealthCheckService health) : IHostedService
{
    private HttpTaskGateway? _http;

    /// <summary>The address Kestrel bound, once started with an HTTP port.</summary>
    public string? Url => _http?.Url.ToString();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Gateway.HttpPort <= 0) return;
        var gateway = await registry.GetAsync<TaskGatewayActor>(cancellationToken).ConfigureAwait(false);
        _http = await HttpTaskGateway.StartAsync(options.Gateway, gateway, cancellationToken, health).ConfigureAwait(false);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_http is not null) await _http.DisposeAsync().ConfigureAwait(false);
        _http = null;
    }
}

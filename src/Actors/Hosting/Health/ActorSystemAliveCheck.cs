using Akka.Actor;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace RecurrentKif.Actors.Hosting.Health;

/// <summary>Liveness: healthy while the node's ActorSystem runs; a downed node's system terminates.</summary>
public sealed class ActorSystemAliveCheck(ActorSystem system) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(system.WhenTerminated.IsCompleted
            ? HealthCheckResult.Unhealthy("the actor system has terminated (the node left the cluster or is shutting down)")
            : HealthCheckResult.Healthy("the actor system is running"));
}

using Akka.Actor;
using Akka.Cluster;
using Akka.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RecurrentKif.Actors.Gateway;
using RecurrentKif.Messages;

namespace RecurrentKif.Actors.Hosting.Health;

/// <summary>
/// Readiness: this node is an Up member of the cluster, and a status request through its task gateway reaches the run's
/// coordinator (a cluster singleton, possibly on another node) and is answered within the probe timeout. Not ready
/// while the node joins, while the coordinator moves after a node failure, or while it recovers from the journal.
/// </summary>
public sealed class ClusterReadinessCheck(ActorSystem system, IReadOnlyActorRegistry registry, NodeHealthOptions options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var self = Akka.Cluster.Cluster.Get(system).SelfMember;
        if (self.Status != MemberStatus.Up)
            return HealthCheckResult.Unhealthy($"this node is {self.Status}, not Up, in the cluster");
        if (!registry.TryGet<TaskGatewayActor>(out var gateway))
            return HealthCheckResult.Unhealthy("the task gateway has not started");
        try
        {
            await gateway.Ask<RunStatus>(new GetRunStatus(), options.ProbeTimeout, cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy("Up in the cluster; the coordinator answers");
        }
        catch (AskTimeoutException)
        {
            return HealthCheckResult.Unhealthy($"the run's coordinator did not answer within {options.ProbeTimeout.TotalSeconds:0.#} s");
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            // The gateway turns a silent or failed coordinator into one of these; its message says which.
            return HealthCheckResult.Unhealthy("the run's coordinator is not available", e);
        }
    }
}

using Akka.Actor;

namespace RecurrentKif.Actors.Gateway;

/// <summary>Starts a node's task gateway: the actor, registered for ClusterClient callers.</summary>
public static class TaskGateway
{
    /// <summary>
    /// Creates the <see cref="TaskGatewayActor"/> at <see cref="TaskGatewayActor.Path"/> and, registered with the
    /// ClusterClientReceptionist, its <see cref="ClusterClientDoor"/>, so services outside the cluster reach it with
    /// <c>ClusterClient.Send(ClusterClientDoor.Path, …)</c>.
    /// The system should load the receptionist at start-up (WithClusterClientReceptionist, docs/architecture.md §9.1 and §10); otherwise this
    /// starts it now. <paramref name="coordinator"/> is the ClusterSingletonProxy of the run's coordinator.
    /// </summary>
    public static IActorRef Start(ActorSystem system, GatewaySettings settings, IActorRef coordinator)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(coordinator);
        var gateway = system.ActorOf(TaskGatewayActor.Props(settings, coordinator), TaskGatewayActor.Name);
        // ClusterClient callers reach the gateway only through the door, which passes submissions and status requests alone.
        system.ActorOf(Props.Create(() => new ClusterClientDoor.Keeper(gateway)), ClusterClientDoor.KeeperName);
        TaskGatewayActor.Logger.Information("Task gateway at {Path}: data root {DataRoot}, {TokenState}", gateway.Path, settings.DataRoot,
            settings.HasToken ? "token set" : "NO TOKEN SET: every submission is refused until rkif.gateway.token is set");
        return gateway;
    }
}

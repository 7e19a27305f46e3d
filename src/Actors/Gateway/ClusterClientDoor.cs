using Akka.Actor;
using Akka.Cluster.Tools.Client;
using RecurrentKif.Messages;

namespace RecurrentKif.Actors.Gateway;

/// <summary>
/// What a ClusterClient may reach on a node (docs/security.md §5): this door, the only actor registered with the
/// ClusterClientReceptionist. It passes <see cref="SubmitTask"/> and <see cref="GetRunStatus"/> to the task gateway,
/// whose own checks then apply, and drops and logs everything else (the gateway's internal messages among them,
/// which would otherwise skip its validation).
/// </summary>
public sealed class ClusterClientDoor : ReceiveActor
{
    public const string KeeperName = "client-door";
    public const string Name = "task-gateway";
    /// <summary>Where ClusterClient callers send (TaskSubmissionClient.GatewayPath on the client side).</summary>
    public const string Path = "/user/" + KeeperName + "/" + Name;

    public ClusterClientDoor(IActorRef gateway)
    {
        Receive<SubmitTask>(m => gateway.Forward(m));
        Receive<GetRunStatus>(m => gateway.Forward(m));
        ReceiveAny(m => TaskGatewayActor.Logger.Warning("ClusterClient door dropped a {Type} from {Sender}: only SubmitTask and GetRunStatus pass",
            m.GetType().FullName, Sender.Path));
    }

    /// <summary>
    /// Creates the door, registers it with the receptionist and puts a new one in its place if a caller stops it
    /// (a PoisonPill through ClusterClient is handled by Akka before any receive), so submissions keep a way in.
    /// </summary>
    public sealed class Keeper : ReceiveActor
    {
        private readonly IActorRef _gateway;

        public Keeper(IActorRef gateway)
        {
            _gateway = gateway;
            Receive<Terminated>(_ =>
            {
                TaskGatewayActor.Logger.Warning("The ClusterClient door was stopped by a caller; opening a new one");
                Open();
            });
        }

        protected override void PreStart() => Open();

        private void Open()
        {
            var door = Context.ActorOf(Props.Create(() => new ClusterClientDoor(_gateway)), Name);
            Context.Watch(door);
            ClusterClientReceptionist.Get(Context.System).RegisterService(door);
        }
    }
}

using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster.Tools.Client;
using Akka.Configuration;
using RecurrentKif.Actors.Gateway;
using RecurrentKif.Client;
using RecurrentKif.Client.Wire;
using RecurrentKif.Messages;

namespace RecurrentKif.Actors.Tests.Gateway;

/// <summary>
/// The ClusterClient allow-list (docs/security.md §5): a ClusterClient reaches only the door, which passes SubmitTask
/// and GetRunStatus; a QueueTask sent through it never reaches the coordinator, and a PoisonPill stops only the door,
/// which is opened again, so submissions keep working.
/// </summary>
public sealed class ClusterClientDoorTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static Config NodeConfig => GatewayNodeConfig.Loopback;

    private readonly TaskFolder folder = new();

    public ClusterClientDoorTests() : base(NodeConfig, "rkif") { }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) folder.Dispose();
    }

    [Fact]
    public async Task Only_submissions_and_status_pass_and_a_stopped_door_is_opened_again()
    {
        var cluster = Akka.Cluster.Cluster.Get(Sys);
        var up = new TaskCompletionSource();
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        cluster.Join(cluster.SelfAddress);
        await up.Task.WaitAsync(Patience);
        string task = TaskFolder.WriteTask(Path.Combine(folder.DataRoot, "incoming"), "parity");
        var coordinator = CreateTestProbe();
        TaskGateway.Start(Sys, folder.Settings(), coordinator);

        // A raw ClusterClient, as a stranger would use one: it sends the coordinator's own message and a PoisonPill.
        using var stranger = ActorSystem.Create("stranger", ConfigurationFactory.ParseString("""
            akka { loglevel = WARNING, actor.provider = remote, remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 } }
            """).WithFallback(MessageSerializer.Bindings).WithFallback(ClusterClientReceptionist.DefaultConfig()));
        var receptionist = ActorPath.Parse($"{cluster.SelfAddress}/system/receptionist");
        var raw = stranger.ActorOf(ClusterClient.Props(ClusterClientSettings.Create(stranger).WithInitialContacts(ImmutableHashSet.Create(receptionist))));
        raw.Tell(new ClusterClient.Send(TaskSubmissionClient.GatewayPath, new QueueTask("evil", task), localAffinity: false));
        coordinator.ExpectNoMsg(TimeSpan.FromSeconds(3));

        raw.Tell(new ClusterClient.Send(TaskSubmissionClient.GatewayPath, PoisonPill.Instance, localAffinity: false));
        await Task.Delay(TimeSpan.FromSeconds(2));

        await using var client = TaskSubmissionClient.Connect([cluster.SelfAddress.ToString()]);
        var submitted = client.SubmitAsync("parity", "incoming", TaskFolder.Token, Patience);
        Assert.Equal(new QueueTask("parity", task), coordinator.ExpectMsg<QueueTask>(Patience));
        coordinator.Reply(TaskSubmissionResult.Queued("parity", 0));
        Assert.Equal(TaskSubmissionResult.Queued("parity", 0), await submitted);
        await stranger.Terminate();
    }
}

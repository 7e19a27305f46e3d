using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.Client;
using Akka.Configuration;
using RecurrentKif.Actors.Gateway;
using RecurrentKif.Client;
using RecurrentKif.Messages;

namespace RecurrentKif.Actors.Tests.Gateway;

/// <summary>
/// End to end in one process: the test's ActorSystem is a one-node cluster named "rkif" (as the real nodes are) running
/// the receptionist and the gateway with a probe as coordinator; <see cref="TaskSubmissionClient"/> runs its own
/// non-member ActorSystem and reaches the gateway through ClusterClient, over real akka.tcp on loopback.
/// </summary>
public sealed class ClusterClientGatewayTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(500);

    private static Config NodeConfig => GatewayNodeConfig.Loopback;

    private readonly TaskFolder folder = new();

    public ClusterClientGatewayTests() : base(NodeConfig, "rkif") { }

    protected override void Dispose(bool disposing)
    {
        folder.Dispose();
        base.Dispose(disposing);
    }

    private async Task<Address> JoinSelfAsync()
    {
        var cluster = Akka.Cluster.Cluster.Get(Sys);
        var up = new TaskCompletionSource();
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        cluster.Join(cluster.SelfAddress);
        await up.Task.WaitAsync(Patience);
        return cluster.SelfAddress;
    }

    [Fact]
    public async Task A_client_outside_the_cluster_submits_and_reads_status_through_the_receptionist()
    {
        string task = TaskFolder.WriteTask(Path.Combine(folder.DataRoot, "incoming"), "parity");
        var address = await JoinSelfAsync();
        var coordinator = CreateTestProbe();
        var gateway = TaskGateway.Start(Sys, folder.Settings(), coordinator);
        Assert.Equal(TaskGatewayActor.Path, gateway.Path.ToStringWithoutAddress());
        Assert.Equal(TaskSubmissionClient.GatewayPath, ClusterClientDoor.Path);

        await using var client = TaskSubmissionClient.Connect([address.ToString()]);

        var submitted = client.SubmitAsync("parity", "incoming", TaskFolder.Token, Patience);
        Assert.Equal(new QueueTask("parity", task), coordinator.ExpectMsg<QueueTask>(Patience));
        coordinator.Reply(TaskSubmissionResult.Queued("parity", 1));
        Assert.Equal(TaskSubmissionResult.Queued("parity", 1), await submitted);

        var refused = await client.SubmitAsync("parity", "incoming", "wrong-token-0123456789", Patience);
        Assert.Equal(SubmissionRefusal.Unauthenticated, refused.Refusal);
        var invalid = await client.SubmitAsync("parity", "../outside", TaskFolder.Token, Patience);
        Assert.Equal(SubmissionRefusal.Invalid, invalid.Refusal);
        Assert.Contains("outside the data root", invalid.Error);
        coordinator.ExpectNoMsg(Quiet);

        // Status names tasks, folders and nodes: from another process it needs the token, as HTTP /status does.
        var unauthenticated = await Assert.ThrowsAnyAsync<Exception>(() => client.StatusAsync("", Patience));
        Assert.Contains("missing or wrong token", unauthenticated.Message);
        await Assert.ThrowsAnyAsync<Exception>(() => client.StatusAsync("wrong-token-0123456789", Patience));
        coordinator.ExpectNoMsg(Quiet);

        var status = client.StatusAsync(TaskFolder.Token, Patience);
        Assert.Equal(TaskFolder.Token, coordinator.ExpectMsg<GetRunStatus>(Patience).Token);
        var sample = TaskGatewayActorTests.SampleStatus();
        coordinator.Reply(sample);
        var received = await status;
        Assert.Equal(sample.TaskNames, received.TaskNames);
        Assert.Equal(sample.AccuracyRows[0], received.AccuracyRows[0]);
        Assert.Equal((sample.RunId, sample.CoordinatorNode, sample.Step), (received.RunId, received.CoordinatorNode, received.Step));
    }

    [Fact]
    public async Task A_client_with_no_reachable_contact_reports_unavailable_in_time()
    {
        // Nobody listens on this address: the submission must come back as Unavailable, not hang.
        await using var client = TaskSubmissionClient.Connect(["akka.tcp://rkif@127.0.0.1:1"]);
        var result = await client.SubmitAsync("parity", "incoming", TaskFolder.Token, TimeSpan.FromSeconds(2));
        Assert.Equal(SubmissionRefusal.Unavailable, result.Refusal);
        Assert.Contains("akka.tcp://rkif@127.0.0.1:1", result.Error);
        await Assert.ThrowsAsync<TimeoutException>(() => client.StatusAsync(TaskFolder.Token, TimeSpan.FromSeconds(1)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("127.0.0.1:25520")]
    [InlineData("http://127.0.0.1:8080")]
    [InlineData("akka.tcp://rkif@127.0.0.1:25520/user/task-gateway")]
    public void A_contact_that_is_not_a_node_address_is_refused_clearly(string contact)
    {
        var error = Assert.Throws<ArgumentException>(() => TaskSubmissionClient.Connect([contact]));
        Assert.Contains("akka.tcp://rkif@", error.Message);
    }

    [Fact]
    public void The_protocol_round_trips_through_the_serializer_remote_messages_use()
    {
        var sample = TaskGatewayActorTests.SampleStatus();
        object[] messages =
        [
            new SubmitTask("parity", "incoming/parity", TaskFolder.Token),
            new QueueTask("parity", "/data/incoming/parity"),
            TaskSubmissionResult.Queued("parity", 3),
            TaskSubmissionResult.Refused("parity", SubmissionRefusal.Invalid, "task 'parity': the dev split is missing"),
            new GetRunStatus(),
            new GetRunStatus(TaskFolder.Token),
        ];
        foreach (object message in messages) Assert.Equal(message, RoundTrip(message));

        // Built with collection expressions (as a coordinator may well do), a status survives the trip: the wire
        // serializer (MessageSerializer) writes plain data, not the compiler's collection types.
        var status = Assert.IsType<RunStatus>(RoundTrip(sample));
        Assert.Equal(sample.TaskNames, status.TaskNames);
        Assert.Equal(sample.AccuracyRows.Select(r => r.ToArray()), status.AccuracyRows.Select(r => r.ToArray()));
        Assert.Equal(sample.Learners, status.Learners);
        Assert.Equal(sample with { TaskNames = status.TaskNames, AccuracyRows = status.AccuracyRows, Learners = status.Learners }, status);
    }

    private object RoundTrip(object message)
    {
        var serializer = Sys.Serialization.FindSerializerFor(message);
        string manifest = Akka.Serialization.Serialization.ManifestFor(serializer, message);
        return Sys.Serialization.Deserialize(serializer.ToBinary(message), serializer.Identifier, manifest);
    }
}

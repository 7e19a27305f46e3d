using Akka.Actor;
using RecurrentKif.Actors.Gateway;
using RecurrentKif.Messages;

namespace RecurrentKif.Actors.Tests.Gateway;

/// <summary>The gateway actor with a probe as the coordinator: the probe receiving nothing means nothing was persisted.</summary>
public sealed class TaskGatewayActorTests : Akka.TestKit.Xunit2.TestKit
{
    // Generous: the machine is shared and two cores; the tests never wait this long when they pass.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(500);

    private readonly TaskFolder folder = new();

    protected override void Dispose(bool disposing)
    {
        folder.Dispose();
        base.Dispose(disposing);
    }

    [Fact]
    public void Refused_submissions_never_reach_the_coordinator()
    {
        TaskFolder.WriteTask(folder.Outside, "parity");
        TaskFolder.WriteTask(Path.Combine(folder.DataRoot, "bad"), "parity", 3, "train");
        var coordinator = CreateTestProbe();
        var gateway = Sys.ActorOf(TaskGatewayActor.Props(folder.Settings(), coordinator));

        gateway.Tell(new SubmitTask("parity", "bad", "wrong-token-0123456789"));
        Assert.Equal(SubmissionRefusal.Unauthenticated, ExpectMsg<TaskSubmissionResult>(Patience).Refusal);
        gateway.Tell(new SubmitTask("parity", "../outside", TaskFolder.Token));
        Assert.Equal(SubmissionRefusal.Invalid, ExpectMsg<TaskSubmissionResult>(Patience).Refusal);
        gateway.Tell(new SubmitTask("parity", "bad", TaskFolder.Token));
        var missingDev = ExpectMsg<TaskSubmissionResult>(Patience);
        Assert.Contains("the dev split is missing", missingDev.Error);

        coordinator.ExpectNoMsg(Quiet);
    }

    [Fact]
    public void A_fifo_task_file_is_refused_and_the_next_valid_submission_is_still_served()
    {
        string fifoTask = TaskFolder.WriteTask(Path.Combine(folder.DataRoot, "fifo"), "parity", 3, "train", "test");
        TaskFolder.MakeFifo(Path.Combine(fifoTask, "dev", "parity.json"));
        string task = TaskFolder.WriteTask(Path.Combine(folder.DataRoot, "incoming"), "parity");
        var coordinator = CreateTestProbe();
        var gateway = Sys.ActorOf(TaskGatewayActor.Props(folder.Settings(), coordinator));

        gateway.Tell(new SubmitTask("parity", "fifo", TaskFolder.Token));
        var refused = ExpectMsg<TaskSubmissionResult>(Patience);
        Assert.Equal(SubmissionRefusal.Invalid, refused.Refusal);
        Assert.Contains("not a plain file", refused.Error);
        // The one validation slot is free again: a FIFO no longer holds it forever.
        gateway.Tell(new SubmitTask("parity", "incoming", TaskFolder.Token));
        Assert.Equal(new QueueTask("parity", task), coordinator.ExpectMsg<QueueTask>(Patience));
    }

    [Fact]
    public void An_accepted_submission_is_queued_with_its_absolute_folder_and_the_coordinators_answer_relayed()
    {
        string task = TaskFolder.WriteTask(Path.Combine(folder.DataRoot, "incoming"), "parity");
        var coordinator = CreateTestProbe();
        var gateway = Sys.ActorOf(TaskGatewayActor.Props(folder.Settings(), coordinator));

        gateway.Tell(new SubmitTask("parity", "incoming", TaskFolder.Token));
        Assert.Equal(new QueueTask("parity", task), coordinator.ExpectMsg<QueueTask>(Patience));
        coordinator.Reply(TaskSubmissionResult.Queued("parity", 4));
        Assert.Equal(TaskSubmissionResult.Queued("parity", 4), ExpectMsg<TaskSubmissionResult>(Patience));

        gateway.Tell(new SubmitTask("parity", "incoming", TaskFolder.Token));
        coordinator.ExpectMsg<QueueTask>(Patience);
        coordinator.Reply(TaskSubmissionResult.Refused("parity", SubmissionRefusal.Duplicate, "the run already has a task named 'parity'"));
        Assert.Equal(SubmissionRefusal.Duplicate, ExpectMsg<TaskSubmissionResult>(Patience).Refusal);
    }

    [Fact]
    public void A_silent_coordinator_makes_the_submission_unavailable_and_status_a_failure()
    {
        TaskFolder.WriteTask(Path.Combine(folder.DataRoot, "incoming"), "parity");
        var coordinator = CreateTestProbe();
        var gateway = Sys.ActorOf(TaskGatewayActor.Props(folder.Settings(TimeSpan.FromMilliseconds(300)), coordinator));

        gateway.Tell(new SubmitTask("parity", "incoming", TaskFolder.Token));
        coordinator.ExpectMsg<QueueTask>(Patience);
        var result = ExpectMsg<TaskSubmissionResult>(Patience);
        Assert.Equal(SubmissionRefusal.Unavailable, result.Refusal);
        Assert.Contains("did not answer within", result.Error);

        gateway.Tell(new GetRunStatus());
        coordinator.ExpectMsg<GetRunStatus>(Patience);
        var failure = ExpectMsg<Status.Failure>(Patience);
        Assert.IsType<TimeoutException>(failure.Cause);
    }

    [Fact]
    public void Status_is_relayed_from_the_coordinator()
    {
        var coordinator = CreateTestProbe();
        var gateway = Sys.ActorOf(TaskGatewayActor.Props(folder.Settings(), coordinator));
        var status = SampleStatus();

        gateway.Tell(new GetRunStatus());
        coordinator.ExpectMsg<GetRunStatus>(Patience);
        coordinator.Reply(status);
        var relayed = ExpectMsg<RunStatus>(Patience);
        Assert.Equal(status.TaskNames, relayed.TaskNames);
        Assert.Equal(status.AccuracyRows[0], relayed.AccuracyRows[0]);
        Assert.Equal(status with { TaskNames = relayed.TaskNames, AccuracyRows = relayed.AccuracyRows, Learners = relayed.Learners }, relayed);
    }

    [Fact]
    public void Status_requests_are_answered_while_a_slow_validation_runs()
    {
        // A task file far bigger than the others makes validation take a while; status must not wait for it.
        string task = Path.Combine(folder.DataRoot, "big");
        TaskFolder.WriteTask(task, "parity", 50_000, "train");
        TaskFolder.WriteTask(task, "parity", 3, "dev");
        var coordinator = CreateTestProbe();
        var gateway = Sys.ActorOf(TaskGatewayActor.Props(folder.Settings(), coordinator));

        gateway.Tell(new SubmitTask("parity", "big", TaskFolder.Token));
        gateway.Tell(new GetRunStatus());
        // Status arrives at the coordinator before the validated submission does.
        coordinator.ExpectMsg<GetRunStatus>(Patience);
        coordinator.Reply(SampleStatus());
        ExpectMsg<RunStatus>(Patience);
        coordinator.ExpectMsg<QueueTask>(Patience);
    }

    internal static RunStatus SampleStatus() => new(
        "run-1", ["review", "parity"], 1, "training", 12, 40, "runs/run-1/checkpoints/1-12", [[0.5, 0.25]], false,
        "akka.tcp://rkif@127.0.0.1:25520", ["akka.tcp://rkif@127.0.0.1:25521/user/learner"]);
}

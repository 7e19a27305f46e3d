using Akka.Actor;
using RecurrentKif.Actors.Coordination;
using RecurrentKif.Messages;

namespace RecurrentKif.Actors.Tests.Coordination;

/// <summary>
/// The <see cref="RunSupervisor"/> with a stand-in coordinator that fails its journal the way Akka.Persistence makes the
/// real one do (it reports <see cref="JournalFailed"/> and stops): bounded restarts, then a loud end and clear answers.
/// </summary>
public sealed class RunSupervisorTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private const string Journal = "the SQLite journal /data/journal.db";

    /// <summary>Fails its journal in the first <c>failures</c> incarnations; later ones answer status and can end the run.</summary>
    private sealed class StandInCoordinator : ReceiveActor
    {
        public StandInCoordinator(IActorRef starts, int[] incarnations, int failures)
        {
            int incarnation = ++incarnations[0];
            starts.Tell(incarnation);
            if (incarnation <= failures)
            {
                Context.Parent.Tell(new JournalFailed($"writing TaskEvaluated (event 9) failed: database or disk is full (incarnation {incarnation})"));
                Context.Stop(Self);
                return;
            }
            Receive<GetRunStatus>(_ => Sender.Tell(new RunStatus("r", ["a"], 0, "training", 2, 8, null, [], false, "here", [])));
            Receive<string>(m => m == "finish", _ => Context.Parent.Tell(new RunEnded(new RunCompleted("r", true, null))));
        }
    }

    private (IActorRef Supervisor, TaskCompletionSource<RunCompleted> Completion, Akka.TestKit.TestProbe Starts) Start(int failures)
    {
        var starts = CreateTestProbe();
        var incarnations = new int[1];
        var completion = new TaskCompletionSource<RunCompleted>(TaskCreationOptions.RunContinuationsAsynchronously);
        var child = Props.Create(() => new StandInCoordinator(starts.Ref, incarnations, failures));
        var supervisor = Sys.ActorOf(RunSupervisor.Props(child, "r", Journal, completion, TimeSpan.FromMilliseconds(100)));
        return (supervisor, completion, starts);
    }

    [Fact]
    public async Task A_journal_that_keeps_failing_ends_the_run_after_bounded_restarts_with_one_error_naming_it()
    {
        var (supervisor, completion, starts) = Start(failures: int.MaxValue);

        for (int i = 1; i <= RunSupervisor.MaxRestarts + 1; i++) Assert.Equal(i, starts.ExpectMsg<int>(Patience));
        var result = await completion.Task.WaitAsync(Patience);
        starts.ExpectNoMsg(TimeSpan.FromMilliseconds(1500));   // no restart beyond the bound

        Assert.False(result.Succeeded);
        Assert.Contains(Journal, result.Error);
        Assert.Contains("database or disk is full (incarnation 4)", result.Error);
        Assert.Contains($"failed {RunSupervisor.MaxRestarts + 1} times", result.Error);

        supervisor.Tell(new GetRunStatus());
        var status = ExpectMsg<RunStatus>(Patience);
        Assert.StartsWith("failed: ", status.Phase);
        Assert.Contains(Journal, status.Phase);
        supervisor.Tell(new QueueTask("t", "/tasks/t"));
        var refused = ExpectMsg<TaskSubmissionResult>(Patience);
        Assert.False(refused.Accepted);
        Assert.Contains("failed: ", refused.Error);
    }

    [Fact]
    public async Task A_journal_that_recovers_after_one_failure_keeps_the_run_going()
    {
        var (supervisor, completion, starts) = Start(failures: 1);

        Assert.Equal(1, starts.ExpectMsg<int>(Patience));
        Assert.Equal(2, starts.ExpectMsg<int>(Patience));
        supervisor.Tell(new GetRunStatus());
        Assert.Equal("training", ExpectMsg<RunStatus>(Patience).Phase);   // forwarded to the fresh coordinator, which answers the asker

        Assert.False(completion.Task.IsCompleted);
        supervisor.Tell("finish");
        Assert.True((await completion.Task.WaitAsync(Patience)).Succeeded);
        starts.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
    }

    [Fact]
    public void While_it_waits_to_restart_the_coordinator_status_says_so_and_submissions_are_unavailable()
    {
        var starts = CreateTestProbe();
        var incarnations = new int[1];
        var child = Props.Create(() => new StandInCoordinator(starts.Ref, incarnations, 1));
        var supervisor = Sys.ActorOf(RunSupervisor.Props(child, "r", Journal, null, TimeSpan.FromSeconds(30)));

        starts.ExpectMsg<int>(Patience);
        AwaitAssert(() =>
        {
            supervisor.Tell(new GetRunStatus());
            Assert.StartsWith("restarting after a journal failure: writing TaskEvaluated", ExpectMsg<RunStatus>(Patience).Phase);
        }, Patience);
        supervisor.Tell(new QueueTask("t", "/tasks/t"));
        Assert.Equal(SubmissionRefusal.Unavailable, ExpectMsg<TaskSubmissionResult>(Patience).Refusal);
    }
}

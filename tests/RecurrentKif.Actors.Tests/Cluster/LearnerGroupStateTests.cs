using Akka.Actor;
using Akka.TestKit;
using RecurrentKif.Actors.Cluster;
using RecurrentKif.Actors.Pipeline;
using RecurrentKif.Actors.Settings;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Messages;

namespace RecurrentKif.Actors.Tests.Cluster;

/// <summary>
/// The learner group's states (docs/architecture.md §9) with probes as its workers and as the coordinator (its parent):
/// a task waits for learners, each attempt is a child actor that assigns the shards, a new task or a lost learner stops
/// it, and the stopped attempt's late messages go nowhere.
/// </summary>
public sealed class LearnerGroupStateTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);
    private readonly string _root = Directory.CreateTempSubdirectory("rkif-group-states").FullName;
    private readonly RunConfiguration _run;
    private readonly TestProbe _coordinator;
    private readonly IActorRef _group;

    public LearnerGroupStateTests()
    {
        string config = Path.Combine(_root, "run.conf");
        File.WriteAllText(config, $$"""rkif { run-id = "group-states", data-root = {{System.Text.Json.JsonSerializer.Serialize(Path.Combine(_root, "data"))}} }""");
        _run = RunConfigurationLoader.Load(config);
        _coordinator = CreateTestProbe();
        _group = _coordinator.ChildActorOf(LearnerGroupActor.Props(_run, CreateTestProbe().Ref, minLearners: 1));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    private static TrainTask Task(int index) =>
        new(index, new TaskPlan("only", [], [], [], true, false, 1), null, [], [new TaskSource("only", "/d/only")]);

    private TestProbe Register(string name)
    {
        var worker = CreateTestProbe();
        _group.Tell(new RegisterLearner(worker.Ref, name, _run.Fingerprint()), worker.Ref);
        _coordinator.ExpectMsg<LearnersChanged>(Patience);
        return worker;
    }

    /// <summary>The shard a worker got and the attempt actor that sent it (a child of the group named attempt-&lt;guid&gt;).</summary>
    private (TrainShard Shard, IActorRef Attempt) ExpectShard(TestProbe worker)
    {
        var shard = worker.ExpectMsg<TrainShard>(Patience);
        var attempt = worker.LastSender;
        Assert.Equal(_group.Path, attempt.Path.Parent);
        Assert.Equal(GroupAttemptActor.NameFor(shard.Attempt), attempt.Path.Name);
        return (shard, attempt);
    }

    private ShardCommitted Commit(TrainShard shard, int step) =>
        new(shard.Attempt, shard.Rank, new ShardCommit(shard.TaskIndex, step, 4, new CheckpointFile(Path.Combine(_root, $"rank{shard.Rank}-{step}.ckpt"), $"r{shard.Rank}"), 0.5));

    [Fact]
    public void A_task_without_learners_waits_and_the_first_learner_that_registers_starts_its_attempt()
    {
        _group.Tell(Task(0), _coordinator.Ref);
        _coordinator.ExpectNoMsg(Quiet);

        var worker = Register("w");
        var (shard, _) = ExpectShard(worker);
        Assert.Equal((0, 0, 1), (shard.TaskIndex, shard.Rank, shard.LearnerCount));
    }

    [Fact]
    public void A_second_task_stops_the_first_attempt_whose_late_commits_then_go_nowhere()
    {
        var worker = Register("w");
        _group.Tell(Task(0), _coordinator.Ref);
        var (first, firstAttempt) = ExpectShard(worker);

        _group.Tell(Task(1), _coordinator.Ref);
        // The stopped attempt's AbandonShard and the new attempt's TrainShard come from two actors: in either order.
        var received = Enumerable.Range(0, 2).Select(_ => (Message: worker.ExpectMsg<object>(Patience), Sender: worker.LastSender)).ToList();
        var abandon = Assert.Single(received, r => r.Message is AbandonShard);
        Assert.Equal((first.Attempt, firstAttempt), (((AbandonShard)abandon.Message).Attempt, abandon.Sender));
        var (shardMessage, secondAttempt) = Assert.Single(received, r => r.Message is TrainShard);
        var second = (TrainShard)shardMessage;
        Assert.Equal((_group.Path, GroupAttemptActor.NameFor(second.Attempt)), (secondAttempt.Path.Parent, secondAttempt.Path.Name));
        Assert.Equal(1, second.TaskIndex);
        Assert.NotEqual(first.Attempt, second.Attempt);

        // A commit of the first attempt: to its stopped actor (dead letters) or, late, to the new one (stale).
        firstAttempt.Tell(Commit(first, 1), worker.Ref);
        secondAttempt.Tell(Commit(first, 1), worker.Ref);
        _coordinator.ExpectNoMsg(Quiet);

        secondAttempt.Tell(Commit(second, 1), worker.Ref);
        var committed = _coordinator.ExpectMsg<StepsCommitted>(Patience);
        Assert.Equal((1, 1), (committed.TaskIndex, committed.Step));
        Assert.Equal(_group, _coordinator.LastSender);
    }

    [Fact]
    public void A_rank_that_leaves_the_cluster_stops_the_attempt_and_the_coordinator_hears_a_stage_restart()
    {
        var stays = Register("a");
        var leaves = Register("b");
        _group.Tell(Task(0), _coordinator.Ref);
        var (shard, attempt) = ExpectShard(stays);
        ExpectShard(leaves);

        Sys.Stop(leaves.Ref);
        _coordinator.ExpectMsg<LearnersChanged>(m => Assert.Equal(["a"], m.Names), Patience);
        var restarted = _coordinator.ExpectMsg<StageRestarted>(Patience);
        Assert.Equal(("learner group", "learner b left the cluster"), (restarted.Stage, restarted.Reason));
        Assert.Equal(shard.Attempt, stays.ExpectMsg<AbandonShard>(Patience).Attempt);

        // The remaining rank's late commit goes nowhere; the coordinator's retry starts a fresh attempt on it alone.
        attempt.Tell(Commit(shard, 1), stays.Ref);
        _coordinator.ExpectNoMsg(Quiet);
        _group.Tell(Task(0), _coordinator.Ref);
        var (retry, _) = ExpectShard(stays);
        Assert.Equal((0, 1), (retry.Rank, retry.LearnerCount));
    }

    [Fact]
    public void Every_rank_s_commit_of_a_step_makes_one_steps_committed()
    {
        var a = Register("a");
        var b = Register("b");
        _group.Tell(Task(0), _coordinator.Ref);
        var (rank0, attempt) = ExpectShard(a);
        var (rank1, _) = ExpectShard(b);
        Assert.Equal((0, 1), (rank0.Rank, rank1.Rank));

        attempt.Tell(Commit(rank0, 2), a.Ref);
        // Rank 1's commit from rank 0's worker is not rank 1's: dropped.
        attempt.Tell(Commit(rank1, 2), a.Ref);
        _coordinator.ExpectNoMsg(Quiet);

        attempt.Tell(Commit(rank1, 2), b.Ref);
        var committed = _coordinator.ExpectMsg<StepsCommitted>(Patience);
        Assert.Equal((0, 2, 4, 0.5), (committed.TaskIndex, committed.Step, committed.TotalSteps, committed.Loss));
        _coordinator.ExpectNoMsg(Quiet);
    }

    [Fact]
    public void A_shard_result_sent_to_the_group_itself_is_dropped()
    {
        var worker = Register("w");
        _group.Tell(Task(0), _coordinator.Ref);
        var (shard, _) = ExpectShard(worker);

        _group.Tell(Commit(shard, 1), worker.Ref);
        _coordinator.ExpectNoMsg(Quiet);
    }

    [Fact]
    public void A_fused_theta_for_a_stopped_attempt_is_released_from_dead_letters()
    {
        var worker = Register("w");
        _group.Tell(Task(0), _coordinator.Ref);
        var (first, firstAttempt) = ExpectShard(worker);
        _group.Tell(Task(1), _coordinator.Ref);
        worker.ExpectMsg<object>(Patience);
        worker.ExpectMsg<object>(Patience);   // the AbandonShard (so the first attempt has stopped) and the new TrainShard

        var store = Actors.Tensors.TensorStoreExtension.For(Sys);
        int before = store.Count;
        var theta = store.PutAll("fused-theta", [TorchSharp.torch.ones(4)]);
        firstAttempt.Tell(new CycleMerged(0, 4, MaskShares.Zero, theta) { Attempt = first.Attempt });

        AwaitAssert(() => Assert.Equal(before, store.Count), Patience);
    }
}

using Akka.Actor;
using RecurrentKif.Actors.Cluster;
using RecurrentKif.Actors.Pipeline;
using RecurrentKif.Actors.Settings;
using RecurrentKif.Gpu.Checkpoints;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Messages;

namespace RecurrentKif.Actors.Tests.Cluster;

/// <summary>
/// The learner group at the wire's boundary (docs/architecture.md §4.3): its attempt actor sends workers plain records,
/// and the group hands the coordinator (its parent, here the test actor) the learner's in-process messages, with every value kept.
/// </summary>
public sealed class LearnerGroupWireTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly string _root = Directory.CreateTempSubdirectory("rkif-group").FullName;
    private readonly RunConfiguration _run;

    public LearnerGroupWireTests()
    {
        string config = Path.Combine(_root, "run.conf");
        File.WriteAllText(config, $$"""rkif { run-id = "group", data-root = {{System.Text.Json.JsonSerializer.Serialize(Path.Combine(_root, "data"))}} }""");
        _run = RunConfigurationLoader.Load(config);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void The_initial_adapter_comes_back_from_the_worker_asked_as_a_checkpoint_reference()
    {
        var group = ChildActorOf(LearnerGroupActor.Props(_run, CreateTestProbe().Ref, minLearners: 1));
        var coordinator = CreateTestProbe();
        var worker = CreateTestProbe();
        group.Tell(new SaveInitialAdapter(), coordinator.Ref);
        group.Tell(new RegisterLearner(worker.Ref, "w", _run.Fingerprint()), worker.Ref);
        worker.ExpectMsg<SaveInitialAdapter>(Patience);
        Assert.Equal(group, worker.LastSender);

        group.Tell(new InitialAdapterSaved(new CheckpointFile("/forged.adapter", "f")), CreateTestProbe().Ref);
        coordinator.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        group.Tell(new InitialAdapterSaved(new CheckpointFile("/c/initial.adapter", "i0")), worker.Ref);
        Assert.Equal(new CheckpointReference("/c/initial.adapter", "i0"), coordinator.ExpectMsg<CheckpointReference>(Patience));
    }

    [Fact]
    public void A_rank_s_commit_and_result_reach_the_coordinator_as_the_learner_s_messages()
    {
        var group = ChildActorOf(LearnerGroupActor.Props(_run, CreateTestProbe().Ref, minLearners: 1));
        var worker = CreateTestProbe();
        group.Tell(new RegisterLearner(worker.Ref, "w", _run.Fingerprint()), worker.Ref);
        ExpectMsg<LearnersChanged>(Patience);
        var start = new CheckpointReference("/c/task-end.adapter", "e0");
        TaskPlan plan = new("only", [], [], [], true, false, 1);
        group.Tell(new TrainTask(0, plan, start, [], [new TaskSource("only", "/d/only")]));

        var shard = worker.ExpectMsg<TrainShard>(Patience);
        Assert.Equal((0, 0, 1, new CheckpointFile(start.Path, start.Sha256)), (shard.TaskIndex, shard.Rank, shard.LearnerCount, shard.PreviousTaskEnd));
        Assert.Equal([new TaskSource("only", "/d/only")], shard.Tasks);

        // The worker answers the attempt actor that sent the shard; the group hands the coordinator the outcome.
        var attempt = worker.LastSender;
        Assert.Equal(group.Path, attempt.Path.Parent);
        var file = new CheckpointFile(Path.Combine(_root, "rank0.ckpt"), "r0");
        attempt.Tell(new ShardCommitted(shard.Attempt, 0, new ShardCommit(0, 2, 4, file, double.NaN)), worker.Ref);
        var committed = ExpectMsg<StepsCommitted>(Patience);
        Assert.Equal((0, 2, 4), (committed.TaskIndex, committed.Step, committed.TotalSteps));
        Assert.True(double.IsNaN(committed.Loss));
        // The group commit's manifest names the rank's file (reading it back would also check that file's bytes).
        Assert.Contains(System.Text.Json.JsonSerializer.Serialize(file.Path), File.ReadAllText(committed.Checkpoint.Path), StringComparison.Ordinal);

        var summary = new TaskSummary("only", 4, 2, 1, 0.5, null, 2, 1.5, 99, [1.0, double.NaN, 0.5], [new MaskShareSummary(1, 2, 3, 4)],
            [null, 0.25, 0.5], [new ValidationSummary(2, 0.5, null)]);
        attempt.Tell(new ShardFinished(shard.Attempt, 0, new ShardResult(0, file, summary)), worker.Ref);
        var done = ExpectMsg<TaskTrainingDone>(Patience);
        Assert.Equal((0, new CheckpointReference(file.Path, file.Sha256)), (done.TaskIndex, done.AdapterCheckpoint));
        Assert.Equal([new MaskShares(1, 2, 3, 4)], done.Stats.FusionShares);
        Assert.Equal(summary.Losses, done.Stats.Losses);
        Assert.Equal([double.NaN, 0.25, 0.5], done.Stats.FirstTokenLosses);
        Assert.Equal([new ValidationPoint(2, 0.5, double.NaN)], done.Stats.Validations);
        Assert.Equal((4, 2, 1, 99L, 1.5), (done.Stats.InnerSteps, done.Stats.OuterSteps, done.Stats.Fusions, done.Stats.TrainingTokens, done.Stats.Seconds));
    }
}

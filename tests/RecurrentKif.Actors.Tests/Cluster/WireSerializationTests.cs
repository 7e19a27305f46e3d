using Akka.Actor;
using Akka.Configuration;
using Akka.Streams;
using Akka.Streams.Dsl;
using RecurrentKif.Actors.Cluster;
using RecurrentKif.Actors.Pipeline;
using RecurrentKif.Client.Wire;
using RecurrentKif.Gpu.Checkpoints;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Messages;

namespace RecurrentKif.Actors.Tests.Cluster;

/// <summary>
/// Every message that crosses a node goes through an explicit serializer with a fixed manifest (docs/security.md,
/// "Wire contract"), and comes back equal, lists built with collection expressions included; actor and stream
/// references survive the trip (a received StreamRef still streams).
/// </summary>
public sealed class WireSerializationTests : Akka.TestKit.Xunit2.TestKit
{
    private static Config NodeConfig => ConfigurationFactory.ParseString("""
        akka {
          loglevel = WARNING
          actor.provider = remote
          remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
        }
        """).WithFallback(ActorSystemFactory.AkkaSettings);

    public WireSerializationTests() : base(NodeConfig, "rkif") { }

    private static readonly CheckpointFile Checkpoint = new("/data/runs/r/checkpoints/task00-step000004.ckpt", new string('a', 64));

    [Fact]
    public void Every_run_protocol_message_round_trips_through_the_wire_serializer()
    {
        IReadOnlyList<IReadOnlyList<double>> rows = [[0.5, double.NaN], [0.25, 1.0]];
        var status = new RunStatus("run", ["a", "b"], 1, "training", 3, 10, "/x.ckpt", rows, false, "akka.tcp://rkif@127.0.0.1:1", ["only"]);
        var back = Assert.IsType<RunStatus>(RoundTrip<MessageSerializer>(status));
        Assert.Equal(status.TaskNames, back.TaskNames);
        Assert.Equal(status.Learners, back.Learners);
        Assert.Equal(2, back.AccuracyRows.Count);
        Assert.Equal(0.5, back.AccuracyRows[0][0]);
        Assert.True(double.IsNaN(back.AccuracyRows[0][1]));
        Assert.Equal(status with { TaskNames = back.TaskNames, AccuracyRows = back.AccuracyRows, Learners = back.Learners }, back);

        object[] plain =
        [
            new SubmitTask("parity", "incoming/parity", "token-0123456789"),
            new QueueTask("parity", "/data/incoming/parity"),
            TaskSubmissionResult.Queued("parity", 3),
            TaskSubmissionResult.Refused("parity", SubmissionRefusal.Duplicate, "already there"),
            new GetRunStatus(),
        ];
        foreach (object message in plain) Assert.Equal(message, RoundTrip<MessageSerializer>(message));
    }

    [Fact]
    public void Every_cluster_message_round_trips_through_the_cluster_serializer()
    {
        var attempt = Guid.NewGuid();

        var register = Assert.IsType<RegisterLearner>(RoundTrip<ClusterMessageSerializer>(new RegisterLearner(TestActor, "only", "fp")));
        Assert.Equal(TestActor, register.Worker);
        Assert.Equal(("only", "fp"), (register.Name, register.SettingsFingerprint));

        var shard = Assert.IsType<TrainShard>(RoundTrip<ClusterMessageSerializer>(
            new TrainShard(attempt, 2, [new TaskSource("a", "/d/a"), new TaskSource("b", "/d/b", new string('b', 64))], 1, 2, Checkpoint, [Checkpoint], "fp")));
        Assert.Equal(attempt, shard.Attempt);
        Assert.Equal([new TaskSource("a", "/d/a"), new TaskSource("b", "/d/b", new string('b', 64))], shard.Tasks);
        Assert.Equal([Checkpoint], shard.ResumeCandidates);
        Assert.Equal(Checkpoint, shard.PreviousTaskEnd);
        var fresh = Assert.IsType<TrainShard>(RoundTrip<ClusterMessageSerializer>(new TrainShard(attempt, 0, [], 0, 1, null, [], "fp")));
        Assert.Null(fresh.PreviousTaskEnd);
        Assert.Empty(fresh.ResumeCandidates);

        Assert.Equal(new AbandonShard(attempt), RoundTrip<ClusterMessageSerializer>(new AbandonShard(attempt)));
        var commit = new ShardCommitted(attempt, 0, new ShardCommit(1, 4, 8, Checkpoint, 0.25));
        Assert.Equal(commit, RoundTrip<ClusterMessageSerializer>(commit));
        var nanCommit = new ShardCommitted(attempt, 1, new ShardCommit(1, 4, 8, Checkpoint, double.NaN));
        Assert.True(double.IsNaN(Assert.IsType<ShardCommitted>(RoundTrip<ClusterMessageSerializer>(nanCommit)).Commit.Loss));
        var failed = new ShardFailed(attempt, 1, new ShardFailure(1, 4, "NaN loss", NonFiniteLoss: true));
        Assert.Equal(failed, RoundTrip<ClusterMessageSerializer>(failed));
        Assert.Equal(new SaveInitialAdapter(), RoundTrip<ClusterMessageSerializer>(new SaveInitialAdapter()));
        Assert.Equal(new InitialAdapterSaved(Checkpoint), RoundTrip<ClusterMessageSerializer>(new InitialAdapterSaved(Checkpoint)));
        var learners = Assert.IsType<LearnersChanged>(RoundTrip<ClusterMessageSerializer>(new LearnersChanged(["a", "b"])));
        Assert.Equal(["a", "b"], learners.Names);

        var summary = new TaskSummary("parity", 8, 4, 1, 0.5, null, 6, 2.5, 1234, [1.0, double.NaN], [new MaskShareSummary(1, 2, 3, 4)],
            [null, 0.1], [new ValidationSummary(4, 0.5, null)]);
        var finished = Assert.IsType<ShardFinished>(RoundTrip<ClusterMessageSerializer>(new ShardFinished(attempt, 0, new ShardResult(2, Checkpoint, summary))));
        Assert.Equal((attempt, 0, 2, Checkpoint), (finished.Attempt, finished.Rank, finished.Done.TaskIndex, finished.Done.Adapter));
        var back = finished.Done.Summary;
        Assert.Equal(summary.Losses, back.Losses);
        Assert.Equal(summary.FusionShares, back.FusionShares);
        Assert.Equal(summary.FirstTokenLosses, back.FirstTokenLosses);
        Assert.Equal(summary.Validations, back.Validations);
        Assert.Equal(summary with { Losses = back.Losses, FusionShares = back.FusionShares, FirstTokenLosses = back.FirstTokenLosses, Validations = back.Validations }, back);
    }

    /// <summary>
    /// A rank's finished task crosses as the journal's <see cref="TaskSummary"/> and comes back as the very statistics
    /// the worker's learner produced (NaN losses and unmeasured validations included), so the coordinator journals and
    /// logs what a local learner would have given it.
    /// </summary>
    [Fact]
    public void A_finished_rank_crosses_as_plain_data_and_comes_back_as_the_same_statistics()
    {
        var shares = new MaskShares(1, 2, 3, 4);
        var stats = new TaskTrainingStats("parity", 8, 4, [shares], 0.5, null, 6, 1234, 2.5, [1.0, double.NaN, 0.5])
        {
            FirstTokenLosses = [double.NaN, 0.1],
            Validations = [new ValidationPoint(4, 0.5, 0.25), new ValidationPoint(6, double.NaN, double.NaN)],
        };
        var attempt = Guid.NewGuid();
        var sent = new ShardFinished(attempt, 0, WireForms.ToWire(new TaskTrainingDone(2, WireForms.ToReference(Checkpoint), stats)));

        var finished = Assert.IsType<ShardFinished>(RoundTrip<ClusterMessageSerializer>(sent));
        Assert.Equal((attempt, 0, 2, Checkpoint), (finished.Attempt, finished.Rank, finished.Done.TaskIndex, finished.Done.Adapter));
        Assert.Equal([new MaskShareSummary(1, 2, 3, 4)], finished.Done.Summary.FusionShares);

        var done = WireForms.ToDone(finished.Done);
        Assert.Equal(new CheckpointReference(Checkpoint.Path, Checkpoint.Sha256), done.AdapterCheckpoint);
        var s = done.Stats;
        Assert.Equal((stats.Task, stats.InnerSteps, stats.OuterSteps, stats.Fusions, stats.BestValidationLoss, stats.LastValidationLoss, stats.SelectedStep, stats.TrainingTokens, stats.Seconds),
            (s.Task, s.InnerSteps, s.OuterSteps, s.Fusions, s.BestValidationLoss, s.LastValidationLoss, s.SelectedStep, s.TrainingTokens, s.Seconds));
        Assert.Equal([shares], s.FusionShares);
        Assert.Equal(stats.Losses, s.Losses);
        Assert.Equal(stats.FirstTokenLosses, s.FirstTokenLosses);
        Assert.Equal(stats.Validations, s.Validations);
        // What the coordinator's "Task … trained" line logs.
        Assert.Equal((stats.FinalLoss, stats.FinalFirstTokenLoss, stats.LastFirstTokenAccuracy), (s.FinalLoss, s.FinalFirstTokenLoss, s.LastFirstTokenAccuracy));

        var failure = WireForms.ToFailed(WireForms.ToWire(new TrainingFailed(2, 5, "NaN loss", NonFiniteLoss: true)));
        Assert.Equal(new TrainingFailed(2, 5, "NaN loss", NonFiniteLoss: true), failure);
        var commit = WireForms.ToWire(new StepsCommitted(2, 5, 9, WireForms.ToReference(Checkpoint), double.NaN));
        Assert.Equal(new ShardCommit(2, 5, 9, Checkpoint, double.NaN), commit);
        Assert.Equal(shares, WireForms.ToShares(WireForms.ToWire(shares)));
    }

    [Fact]
    public async Task Stream_references_in_cluster_messages_still_stream_after_the_trip()
    {
        var materializer = Sys.Materializer();
        byte[][] chunks = [[1, 2, 3], [4, 5]];
        var offered = await Source.From(chunks).RunWith(StreamRefs.SourceRef<byte[]>(), materializer);
        var attempt = Guid.NewGuid();

        var ready = Assert.IsType<ShardCycleReady>(RoundTrip<ClusterMessageSerializer>(new ShardCycleReady(attempt, 1, 4, 0, true, offered)));
        Assert.Equal((attempt, 1, 4, 0, true), (ready.Attempt, ready.TaskIndex, ready.Step, ready.Rank, ready.HasImportance));
        var received = await ready.Tensors.Source.RunWith(Sink.Seq<byte[]>(), materializer).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(chunks, received);

        var theta = await Source.Single(new byte[] { 9 }).RunWith(StreamRefs.SourceRef<byte[]>(), materializer);
        var fused = Assert.IsType<ShardCycleFused>(RoundTrip<ClusterMessageSerializer>(new ShardCycleFused(attempt, 1, 4, new MaskShareSummary(1, 1, 1, 1), true, theta)));
        Assert.Equal(new MaskShareSummary(1, 1, 1, 1), fused.Shares);
        Assert.Equal([new byte[] { 9 }], await fused.Theta.Source.RunWith(Sink.Seq<byte[]>(), materializer).WaitAsync(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public void An_unknown_manifest_is_refused_rather_than_guessed()
    {
        var serializer = Sys.Serialization.FindSerializerFor(new QueueTask("a", "b"));
        Assert.IsType<MessageSerializer>(serializer);
        Assert.ThrowsAny<System.Runtime.Serialization.SerializationException>(() =>
            Sys.Serialization.Deserialize("{}"u8.ToArray(), serializer.Identifier, "System.IO.FileInfo, System.IO.FileSystem"));
    }

    /// <summary>Through the serializer Akka binds for the message (which must be <typeparamref name="TSerializer"/>), as a remote send does.</summary>
    private object RoundTrip<TSerializer>(object message)
    {
        var serializer = Sys.Serialization.FindSerializerFor(message);
        Assert.IsType<TSerializer>(serializer);
        string manifest = Akka.Serialization.Serialization.ManifestFor(serializer, message);
        return Sys.Serialization.Deserialize(serializer.ToBinary(message), serializer.Identifier, manifest);
    }
}

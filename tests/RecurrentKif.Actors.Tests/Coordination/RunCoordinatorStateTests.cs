using Akka.Actor;
using Akka.TestKit;
using RecurrentKif.Actors.Coordination;
using RecurrentKif.Actors.Pipeline;
using RecurrentKif.Gpu.Checkpoints;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Data;
using RecurrentKif.Messages;

namespace RecurrentKif.Actors.Tests.Coordination;

/// <summary>
/// The RunCoordinator's states with probes as its data loader, learner and evaluator and the in-memory journal: each
/// state takes its own messages, status names the state, an abandoned attempt's messages go nowhere, and a stage
/// that keeps failing ends the run with its name and cause (docs/architecture.md §2.2).
/// </summary>
public sealed class RunCoordinatorStateTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly string _root = Directory.CreateTempSubdirectory("rkif-coordinator").FullName;
    private readonly TestProbe _dataLoader, _learner, _evaluator;
    private readonly TaskCompletionSource<RunCompleted> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IActorRef _run;

    public RunCoordinatorStateTests()
    {
        _dataLoader = CreateTestProbe();
        _learner = CreateTestProbe();
        _evaluator = CreateTestProbe();
        string config = Path.Combine(_root, "run.conf");
        File.WriteAllText(config, $$"""rkif { run-id = "states", data-root = {{System.Text.Json.JsonSerializer.Serialize(Path.Combine(_root, "data"))}} }""");
        var run = RecurrentKif.Actors.Settings.RunConfigurationLoader.Load(config);
        var example = new TaskExample("1", "say yes", "", "yes");
        var tasks = new CatalogedTasks(_root, [new ContinualTask("only", [example], [example], [example], false)]);
        var compute = new ComputeContext(() => throw new InvalidOperationException("the probes stand in for every stage that needs the model"));
        var stages = new CoordinatorStages(_dataLoader.Ref, _learner.Ref, _evaluator.Ref);
        _run = Sys.ActorOf(RunSupervisor.Props(RunCoordinator.Props(run, compute, tasks, stages: _ => stages), run.RunId, "the test journal", _completion));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    private string Phase()
    {
        _run.Tell(new GetRunStatus(), TestActor);
        return ExpectMsg<RunStatus>(Patience).Phase;
    }

    private static TaskPlan Plan() => new("only", [], [], [], true, false, 1);

    /// <summary>Drives the run to training: returns the attempt the learner was asked by.</summary>
    private IActorRef StartTraining()
    {
        _learner.ExpectMsg<SaveInitialAdapter>(Patience);
        Assert.Equal("starting", Phase());
        _learner.Reply(new CheckpointReference("/c/initial.adapter", "i0"));
        return PrepareAndTrain();
    }

    private IActorRef PrepareAndTrain()
    {
        Assert.Equal(0, _dataLoader.ExpectMsg<PrepareTask>(Patience).TaskIndex);
        Assert.Equal("preparing", Phase());
        _dataLoader.Reply(new TaskPrepared(0, Plan()));
        Assert.Equal(0, _learner.ExpectMsg<TrainTask>(Patience).TaskIndex);
        var attempt = _learner.LastSender;
        Assert.StartsWith("attempt-", attempt.Path.Name);
        Assert.Equal("training", Phase());
        return attempt;
    }

    private static TaskTrainingDone Done() =>
        new(0, new CheckpointReference("/c/task00-final.adapter", "f0"), new TaskTrainingStats("only", 4, 0, [], null, null, 4, 10, 1.0, [0.5, 0.4, 0.3, 0.2]));

    [Fact]
    public async Task A_run_goes_through_its_states_in_order_and_status_names_each()
    {
        var attempt = StartTraining();
        attempt.Tell(new StepsCommitted(0, 2, 4, new CheckpointReference("/c/task00-step000002.ckpt", "s2"), 0.4), _learner);
        AwaitAssert(() =>
        {
            _run.Tell(new GetRunStatus(), TestActor);
            Assert.Equal(2, ExpectMsg<RunStatus>(Patience).Step);
        }, Patience);
        _evaluator.ExpectNoMsg(TimeSpan.FromMilliseconds(300));   // a row is only asked for once the task is trained

        attempt.Tell(Done(), _learner);
        var evaluate = _evaluator.ExpectMsg<EvaluateAfterTask>(Patience);
        Assert.Equal(new CheckpointReference("/c/task00-final.adapter", "f0"), evaluate.AdapterCheckpoint);
        Assert.Equal("evaluating", Phase());
        _evaluator.Reply(new RowEvaluated(0, [1.0]));

        var result = await _completion.Task.WaitAsync(Patience);
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("finished", Phase());
    }

    [Fact]
    public void An_abandoned_attempts_messages_never_reach_the_run()
    {
        var first = StartTraining();
        _run.Tell(new StageRestarted("learner", "a test failure"));   // what the supervisor strategy reports
        var second = PrepareAndTrain();
        Assert.NotEqual(first, second);
        var watcher = CreateTestProbe();
        watcher.Watch(first);
        watcher.ExpectTerminated(first, Patience);   // abandoning is stopping

        first.Tell(new StepsCommitted(0, 2, 4, new CheckpointReference("/c/stale.ckpt", "stale"), 0.4), _learner);
        first.Tell(Done(), _learner);
        _evaluator.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
        _run.Tell(new GetRunStatus(), TestActor);
        var status = ExpectMsg<RunStatus>(Patience);
        Assert.Equal(("training", 0, (string?)null), (status.Phase, status.Step, status.LastCheckpoint));

        second.Tell(new StepsCommitted(0, 2, 4, new CheckpointReference("/c/task00-step000002.ckpt", "s2"), 0.4), _learner);
        AwaitAssert(() =>
        {
            _run.Tell(new GetRunStatus(), TestActor);
            Assert.Equal("/c/task00-step000002.ckpt", ExpectMsg<RunStatus>(Patience).LastCheckpoint);
        }, Patience);
    }

    [Fact]
    public async Task An_evaluator_that_keeps_failing_ends_the_run_naming_the_stage_and_the_cause()
    {
        var attempt = StartTraining();
        attempt.Tell(Done(), _learner);
        for (int i = 0; i <= RunCoordinator.MaxRetriesPerTask; i++)
        {
            _evaluator.ExpectMsg<EvaluateAfterTask>(Patience);
            _run.Tell(new StageRestarted("evaluator", "checkpoint /c/task00-final.adapter is missing"), _evaluator);
        }
        var result = await _completion.Task.WaitAsync(Patience);
        Assert.False(result.Succeeded);
        Assert.Contains("the evaluator stage failed (checkpoint /c/task00-final.adapter is missing)", result.Error);
        Assert.Contains($"failed {RunCoordinator.MaxRetriesPerTask + 1} times", result.Error);
        _evaluator.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.StartsWith("failed: task 0 (only)", Phase());
    }

    [Fact]
    public void Messages_of_another_state_are_not_taken()
    {
        _learner.ExpectMsg<SaveInitialAdapter>(Patience);
        _run.Tell(new RowEvaluated(0, [1.0]));   // no evaluation was asked for: nothing may be journaled
        _run.Tell(new TaskPrepared(0, Plan()));
        Assert.Equal("starting", Phase());
        _learner.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        _dataLoader.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }
}

using Akka.Actor;
using RecurrentKif.Actors.Pipeline;
using Serilog;

namespace RecurrentKif.Actors.Coordination;

/// <summary>
/// One attempt at training one task (docs/architecture.md §2.2): sends the learner its <see cref="TrainTask"/>, so the
/// learner answers this actor, and hands each answer to the coordinator. The coordinator abandons an attempt by stopping
/// it; whatever the learner still sends for that attempt then goes to dead letters instead of reaching the run.
/// The attempt's id is a fresh GUID, so it stays unique across coordinator restarts and fail-overs.
/// </summary>
public sealed class TrainingAttemptActor : ReceiveActor
{
    private readonly IActorRef _learner;
    private readonly TrainTask _task;

    public Guid AttemptId { get; }

    public TrainingAttemptActor(IActorRef learner, TrainTask task, Guid attemptId)
    {
        _learner = learner;
        _task = task;
        AttemptId = attemptId;
        Receive<StepsCommitted>(m => Context.Parent.Tell(m));
        Receive<TaskTrainingDone>(m => Context.Parent.Tell(m));
        Receive<TrainingFailed>(m => Context.Parent.Tell(m));
    }

    protected override void PreStart()
    {
        Log.Debug("Task {Task}: training attempt {Attempt}", _task.TaskIndex, AttemptId);
        _learner.Tell(_task, Self);
    }

    // A restart must not send the task a second time: the coordinator decides about retries (StageRestarted).
    protected override void PostRestart(Exception reason) { }

    public static string NameFor(Guid attemptId) => $"attempt-{attemptId:N}";

    public static Props Props(IActorRef learner, TrainTask task, Guid attemptId) =>
        Akka.Actor.Props.Create(() => new TrainingAttemptActor(learner, task, attemptId));
}

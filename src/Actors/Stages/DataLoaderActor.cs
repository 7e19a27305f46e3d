using Akka.Actor;
using RecurrentKif.Actors.Pipeline;
using RecurrentKif.Gpu.Continual;

namespace RecurrentKif.Actors.Stages;

/// <summary>
/// Reads the tasks once and answers plan requests: each task's training data, replay memory (class-balanced, seeded)
/// and validation set, derived by <see cref="TaskPlanner"/> from the tasks and the seed alone, so a resumed run gets
/// the very same plan. The learner pulls work through the coordinator, so it is never flooded.
/// </summary>
public sealed class DataLoaderActor : ReceiveActor
{
    public DataLoaderActor(IReadOnlyList<ContinualTask> tasks, ContinualSettings settings)
    {
        var planner = new TaskPlanner(tasks, settings);
        Receive<PrepareTask>(m => Sender.Tell(new TaskPrepared(m.TaskIndex, planner.Plan(m.TaskIndex))));
    }

    public static Props Props(IReadOnlyList<ContinualTask> tasks, ContinualSettings settings) =>
        Akka.Actor.Props.Create(() => new DataLoaderActor(tasks, settings));
}

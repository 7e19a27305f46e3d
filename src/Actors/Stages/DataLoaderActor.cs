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
    public DataLoaderActor(ContinualSettings settings)
    {
        // The sequence can grow (submitted tasks), so the plan is derived from the tasks the request names; the memory
        // of earlier tasks is drawn in sequence order from one seeded stream, so it is the same whatever came later.
        Receive<PrepareTask>(m => Sender.Tell(new TaskPrepared(m.TaskIndex, new TaskPlanner(m.Tasks, settings).Plan(m.TaskIndex))));
    }

    public static Props Props(ContinualSettings settings) => Akka.Actor.Props.Create(() => new DataLoaderActor(settings));
}

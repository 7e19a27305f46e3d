using Akka.Actor;
using RecurrentKif.Actors.Settings;
using RecurrentKif.Messages;

namespace RecurrentKif.Actors.Coordination;

/// <summary>
/// The coordinator's child that checks and loads submitted tasks (docs/architecture.md §10), so reading a task's files never
/// holds up the run's sequencing. A refusal is answered here; a task that loads goes back to the coordinator, which
/// journals <see cref="TaskQueued"/> before the requester hears that it was accepted.
/// </summary>
public sealed class SubmissionsActor : ReceiveActor
{
    public SubmissionsActor(RunConfiguration run, bool takesSubmissions)
    {
        Receive<SubmissionRequest>(m =>
        {
            var (task, requester) = (m.Task, m.Requester);
            if (!takesSubmissions)
            {
                requester.Tell(TaskSubmissionResult.Refused(task.Name, SubmissionRefusal.Invalid, $"run '{run.RunId}' is a single-process run; it takes no submitted tasks"));
                return;
            }
            if (m.KnownTasks.Contains(task.Name))
            {
                requester.Tell(Duplicate(run, task.Name));
                return;
            }
            try { Context.Parent.Tell(new SubmissionLoaded(task, SubmittedTaskLoader.Accept(run, task.Name, task.Source), requester)); }
            catch (Exception e) when (SubmittedTaskLoader.IsBadTaskData(e))
            {
                requester.Tell(TaskSubmissionResult.Refused(task.Name, SubmissionRefusal.Invalid, e.Message));
            }
        });
    }

    public static TaskSubmissionResult Duplicate(RunConfiguration run, string name) =>
        TaskSubmissionResult.Refused(name, SubmissionRefusal.Duplicate, $"run '{run.RunId}' already has a task named '{name}'");

    public static Props Props(RunConfiguration run, bool takesSubmissions) =>
        Akka.Actor.Props.Create(() => new SubmissionsActor(run, takesSubmissions));
}

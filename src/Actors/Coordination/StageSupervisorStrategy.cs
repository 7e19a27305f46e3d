using Akka.Actor;
using Akka.Actor.Internal;
using RecurrentKif.Actors.Pipeline;
using Serilog;

namespace RecurrentKif.Actors.Coordination;

/// <summary>
/// The coordinator's supervision of its stages (docs/architecture.md §2.2): any exception restarts that stage only, and every
/// restart is reported to the coordinator as <see cref="StageRestarted"/> with the stage's name and the cause, so the
/// run resumes from its last commit or fails with a message naming both; no stage restarts silently. A stage that
/// fails more often than the strategy allows is stopped, which the coordinator sees (it watches every stage).
/// </summary>
public sealed class StageSupervisorStrategy() : OneForOneStrategy(MaxRestarts, Window, LogAndRestart)
{
    public const int MaxRestarts = 10;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    private static Directive LogAndRestart(Exception e)
    {
        Log.Error(e, "A pipeline stage failed: {Message}", e.Message);
        return Directive.Restart;
    }

    public override void ProcessFailure(IActorContext context, bool restart, IActorRef child, Exception cause, ChildRestartStats stats, IReadOnlyCollection<ChildRestartStats> children)
    {
        base.ProcessFailure(context, restart, child, cause, stats, children);
        // The restart is queued before this message, so the stage is fresh when the coordinator acts on it.
        if (restart) context.Self.Tell(new StageRestarted(child.Path.Name, cause.Message), child);
    }
}

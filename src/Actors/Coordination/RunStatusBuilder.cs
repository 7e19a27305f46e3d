using Akka.Actor;
using RecurrentKif.Messages;

namespace RecurrentKif.Actors.Coordination;

/// <summary>The coordinator's answer to <see cref="GetRunStatus"/>, built from the journal's state and the current phase.</summary>
public static class RunStatusBuilder
{
    public static RunStatus Build(string runId, IReadOnlyList<string> taskNames, RunState state, string phase, int step, int totalSteps,
        ActorSystem system, IReadOnlyList<string> learners) =>
        new RunStatus(
            runId, taskNames.ToList(), state.NextTask, phase, step, totalSteps,
            state.Commits.Values.SelectMany(c => c).LastOrDefault()?.CheckpointPath,
            Enumerable.Range(0, state.TaskCount).Where(state.Rows.ContainsKey).Select(k => state.Rows[k]).ToList(),
            state.Finished, ((ExtendedActorSystem)system).Provider.DefaultAddress.ToString(), learners);   // crosses nodes through MessageSerializer (docs/security.md)
}

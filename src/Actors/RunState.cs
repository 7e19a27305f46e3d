using RecurrentKif.Gpu.Checkpoints;
using RecurrentKif.Messages;

namespace RecurrentKif.Actors;

/// <summary>The RunCoordinator's state, rebuilt from the journal by applying events in order.</summary>
public sealed class RunState
{
    public RunStarted? Started { get; private set; }
    public Dictionary<int, List<CycleCommitted>> Commits { get; } = [];
    public Dictionary<int, TaskTrained> Trained { get; } = [];
    public Dictionary<int, IReadOnlyList<double>> Rows { get; } = [];
    public List<CycleRolledBack> Rollbacks { get; } = [];
    public bool Finished { get; private set; }
    public DateTime? FinishedUtc { get; private set; }
    /// <summary>How many times each task's training and evaluation were journaled (exactly once each in a correct run).</summary>
    public Dictionary<int, int> TrainedCount { get; } = [];
    public Dictionary<int, int> EvaluatedCount { get; } = [];
    public int LastEventTask { get; private set; } = -1;

    public void Apply(IRunEvent e)
    {
        switch (e)
        {
            case RunStarted s: Started = s; break;
            case TaskStarted t: LastEventTask = t.TaskIndex; break;
            case TaskQueued q: Queued.Add(q); break;
            case CycleCommitted c:
                if (!Commits.TryGetValue(c.TaskIndex, out var list)) Commits[c.TaskIndex] = list = [];
                list.Add(c);
                break;
            case CycleRolledBack r: Rollbacks.Add(r); break;
            case TaskTrained t:
                Trained[t.TaskIndex] = t;
                TrainedCount[t.TaskIndex] = TrainedCount.GetValueOrDefault(t.TaskIndex) + 1;
                break;
            case TaskEvaluated v:
                Rows[v.TaskIndex] = v.Accuracies;
                EvaluatedCount[v.TaskIndex] = EvaluatedCount.GetValueOrDefault(v.TaskIndex) + 1;
                break;
            case RunFinished f:
                Finished = true;
                FinishedUtc = f.FinishedUtc;
                break;
        }
    }

    /// <summary>Tasks submitted to the run (cluster), after the configured ones, in the order they were accepted.</summary>
    public List<TaskQueued> Queued { get; } = [];

    /// <summary>The run's whole sequence so far: the configured tasks, then the submitted ones.</summary>
    public IReadOnlyList<string> TaskNames => Started is null ? [] : [.. Started.TaskNames, .. Queued.Select(q => q.TaskName)];

    public int TaskCount => Started is null ? 0 : Started.TaskNames.Count + Queued.Count;

    /// <summary>The first task whose row is not evaluated yet (TaskCount when all are).</summary>
    public int NextTask => Enumerable.Range(0, TaskCount).FirstOrDefault(k => !Rows.ContainsKey(k), TaskCount);

    /// <summary>Task k's committed checkpoints, newest first: the resume candidates (older ones are the fallback).</summary>
    public IReadOnlyList<CheckpointReference> ResumeCandidates(int k) =>
        Commits.TryGetValue(k, out var list)
            ? list.AsEnumerable().Reverse().Select(c => new CheckpointReference(c.CheckpointPath, c.Sha256)).ToList()
            : [];

    /// <summary>The adapter task k starts from: the initial one for task 0, else task k−1's final adapter.</summary>
    public CheckpointReference StartingAdapter(int k) =>
        k == 0
            ? new CheckpointReference(Started!.InitialCheckpointPath, Started.InitialSha256)
            : new CheckpointReference(Trained[k - 1].CheckpointPath, Trained[k - 1].Sha256);

    public int LastCommittedStep(int k) => Commits.TryGetValue(k, out var list) && list.Count > 0 ? list[^1].Step : 0;
}

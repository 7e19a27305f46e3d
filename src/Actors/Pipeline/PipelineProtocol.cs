using Akka.Actor;
using RecurrentKif.Gpu.Checkpoints;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Actors.Tensors;
using RecurrentKif.Messages;

namespace RecurrentKif.Actors.Pipeline;

// Messages between the stages of one node. They carry in-process objects (plans, tensor handles that resolve to the
// same tensors), so they never cross a network boundary; the cross-node protocol is in RecurrentKif.Messages.

/// <summary>Coordinator → data loader: build task k's plan.</summary>
public sealed record PrepareTask(int TaskIndex, IReadOnlyList<ContinualTask> Tasks);

/// <summary>Data loader → coordinator.</summary>
public sealed record TaskPrepared(int TaskIndex, TaskPlan Plan);

/// <summary>
/// Coordinator → learner: train task k. Resume candidates (newest first) are this task's committed checkpoints;
/// when there are none the task starts fresh from the previous task's final adapter (or the initial one for task 0).
/// </summary>
/// <see cref="Sources"/> names tasks 0..k with their folders, for learners on other nodes that build the plan themselves.
public sealed record TrainTask(int TaskIndex, TaskPlan Plan, CheckpointReference? PreviousTaskEnd, IReadOnlyList<CheckpointReference> ResumeCandidates,
    IReadOnlyList<TaskSource> Sources);

/// <summary>Learner → coordinator: a step boundary is on disk.</summary>
public sealed record StepsCommitted(int TaskIndex, int Step, int TotalSteps, CheckpointReference Checkpoint, double Loss);

/// <summary>Learner → coordinator: the task is trained; its final (selected) adapter is in the checkpoint.</summary>
public sealed record TaskTrainingDone(int TaskIndex, CheckpointReference AdapterCheckpoint, TaskTrainingStats Stats);

/// <summary>Learner → coordinator: the task could not continue (NaN loss, failed restore, …); nothing was committed past the last commit.</summary>
public sealed record TrainingFailed(int TaskIndex, int Step, string Reason, bool NonFiniteLoss);

/// <summary>A stage actor was restarted by its supervisor; the coordinator retries from the last commit.</summary>
public sealed record StageRestarted(string Stage, string Reason);

/// <summary>
/// One cycle's tensors flowing learner → aggregator → pruner → merger → learner. θ (after the outer steps) and θ_Q are
/// copies owned by the store; θ_ref is borrowed from the learner's session, which keeps it unchanged until the merge
/// comes back. No live parameter is lent: the merger returns a new fused θ that the learner copies in itself.
/// <see cref="Ranks"/> says which data-parallel rank measured it and how many the aggregator waits for.
/// </summary>
public sealed record CycleContext(int TaskIndex, int Step, IReadOnlyList<TensorHandle> Theta, IReadOnlyList<TensorHandle> Reference, IReadOnlyList<TensorHandle> AfterInner, IActorRef Learner)
{
    public CycleRanks Ranks { get; init; } = CycleRanks.Single;
}

/// <summary>
/// Rank <see cref="Rank"/> of <see cref="Count"/> learners of training attempt <see cref="Attempt"/> (docs/algorithm.md
/// §3.9); one process is rank 0 of 1. The aggregator averages the <see cref="Count"/> measurements of one cycle.
/// </summary>
public sealed record CycleRanks(Guid Attempt, int Rank, int Count)
{
    public static readonly CycleRanks Single = new(Guid.Empty, 0, 1);
}

/// <summary>
/// Learner (or learner group, once per rank) → importance aggregator: both trackers' scores at the end of the cycle.
/// Empty score lists (only from a learner of a group) mean no importance could be measured this cycle.
/// </summary>
public sealed record ImportanceMeasured(CycleContext Cycle, IReadOnlyList<TensorHandle> InnerScores, IReadOnlyList<TensorHandle> OuterScores);

/// <summary>
/// Aggregator → pruner: the key-knowledge masks of the new task and of the old ones, with the (averaged) scores they
/// came from (adaptive fusion weighs by the scores). The cycle holds the averaged θ and θ_Q.
/// </summary>
public sealed record KeyKnowledgeIdentified(CycleContext Cycle, IReadOnlyList<TensorHandle> InMasks, IReadOnlyList<TensorHandle> OutMasks,
    IReadOnlyList<TensorHandle> InnerScores, IReadOnlyList<TensorHandle> OuterScores);

/// <summary>Pruner → merger: per-element fusion weights and how many scalars fell in each mask combination.</summary>
public sealed record FusionWeightsReady(CycleContext Cycle, IReadOnlyList<TensorHandle> InWeights, IReadOnlyList<TensorHandle> OutWeights, MaskShares Shares);

/// <summary>
/// Merger (or aggregator, or cycle uplink) → learner: the new θ, owned by the store; the receiver copies it into its
/// live parameters and releases it. <see cref="Skipped"/>: no importance, θ is only the ranks' average.
/// <see cref="Attempt"/> is the cycle's training attempt (a learner group drops merges of an abandoned one).
/// </summary>
public sealed record CycleMerged(int TaskIndex, int Step, MaskShares Shares, IReadOnlyList<TensorHandle> Theta, bool Skipped = false)
{
    public Guid Attempt { get; init; }
}

/// <summary>Coordinator → evaluator: evaluate every task known so far with task k's final adapter.</summary>
public sealed record EvaluateAfterTask(int TaskIndex, CheckpointReference AdapterCheckpoint, IReadOnlyList<ContinualTask> Tasks);

/// <summary>Evaluator → coordinator: row k of the accuracy matrix.</summary>
public sealed record RowEvaluated(int TaskIndex, IReadOnlyList<double> Accuracies);

/// <summary>Drop the task being trained without committing anything more (its learner group lost a member or failed).</summary>
public sealed record AbandonTask;

/// <summary>The learner's answer to <see cref="AbandonTask"/>.</summary>
public sealed record TaskAbandoned;

/// <summary>Learner-internal: keep training.</summary>
internal sealed record ContinueTraining(int TaskIndex);


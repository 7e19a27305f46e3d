using Akka.Actor;
using Akka.Streams;

namespace RecurrentKif.Messages;

// Messages between the coordinator's learner group and the learner workers on other nodes (docs/architecture.md §4.3).
// They cross the network as plain data: names, paths, checkpoint files, small numbers and stream references, never
// tensors (those flow through StreamRefs) and no type of the Gpu project (docs/security.md §6). Every message of a
// training attempt carries its id, a random GUID (docs/security.md §5: a counter could be guessed, and a forged commit
// would name any file), so a message from an abandoned attempt, or a forged one, is recognised and dropped.

/// <summary>Where a checkpoint is and the SHA-256 of its complete bytes: a checkpoint reference on the wire.</summary>
public sealed record CheckpointFile(string Path, string Sha256);

/// <summary>A task of the run as any node can load it: its name and the absolute folder of its {train,dev,test} files.</summary>
/// <remarks><see cref="Sha256"/> is set for a submitted task: <see cref="Folder"/> is then its stored copy, checked
/// against that hash when read.</remarks>
public sealed record TaskSource(string Name, string Folder, string? Sha256 = null);

/// <summary>Learner worker → coordinator (through the singleton proxy), every few seconds: this device is ready to train.</summary>
public sealed record RegisterLearner(IActorRef Worker, string Name, string SettingsFingerprint);

/// <summary>Group → worker: train rank <see cref="Rank"/> of <see cref="LearnerCount"/> of task k; the tasks 0..k are named with their folders.</summary>
public sealed record TrainShard(
    Guid Attempt, int TaskIndex, IReadOnlyList<TaskSource> Tasks, int Rank, int LearnerCount,
    CheckpointFile? PreviousTaskEnd, IReadOnlyList<CheckpointFile> ResumeCandidates, string SettingsFingerprint);

/// <summary>Group → worker: stop training the attempt (a learner left, or another rank failed).</summary>
public sealed record AbandonShard(Guid Attempt);

/// <summary>
/// Worker → group at the end of a cycle: a stream with this rank's θ_ref, θ after the inner steps, θ after the outer
/// steps and both importance scores (no importance → <see cref="HasImportance"/> false and only the weights).
/// </summary>
public sealed record ShardCycleReady(Guid Attempt, int TaskIndex, int Step, int Rank, bool HasImportance, ISourceRef<byte[]> Tensors);

/// <summary>Group → worker: the cycle's fused (or, without importance, averaged) θ to continue from, and the fusion's mask shares.</summary>
public sealed record ShardCycleFused(Guid Attempt, int TaskIndex, int Step, MaskShareSummary Shares, bool Fused, ISourceRef<byte[]> Theta);

/// <summary>One rank's commit of a step boundary: task, step, total steps, the rank's checkpoint and its last loss (may be NaN).</summary>
public sealed record ShardCommit(int TaskIndex, int Step, int TotalSteps, CheckpointFile Checkpoint, double Loss);

/// <summary>Worker → group: this rank's commit of a step boundary.</summary>
public sealed record ShardCommitted(Guid Attempt, int Rank, ShardCommit Commit);

/// <summary>One rank's end of a task: its final (selected) adapter and what training the task did.</summary>
public sealed record ShardResult(int TaskIndex, CheckpointFile Adapter, TaskSummary Summary);

/// <summary>Worker → group: this rank finished the task.</summary>
public sealed record ShardFinished(Guid Attempt, int Rank, ShardResult Done);

/// <summary>Why a rank could not go on: task, step, reason, whether it was a non-finite loss.</summary>
public sealed record ShardFailure(int TaskIndex, int Step, string Reason, bool NonFiniteLoss);

/// <summary>Worker → group: this rank could not go on (NaN loss, unusable checkpoint, mismatched settings).</summary>
public sealed record ShardFailed(Guid Attempt, int Rank, ShardFailure Failure);

/// <summary>Group → coordinator: the learners now training (for status).</summary>
public sealed record LearnersChanged(IReadOnlyList<string> Names);

/// <summary>
/// Coordinator → learner at the very start of a run: save the freshly initialised adapter. A learner in the same process
/// answers with the adapter's checkpoint reference; a learner worker answers the learner group with <see cref="InitialAdapterSaved"/>.
/// </summary>
public sealed record SaveInitialAdapter;

/// <summary>Learner worker → learner group: the initial adapter it saved for <see cref="SaveInitialAdapter"/>.</summary>
public sealed record InitialAdapterSaved(CheckpointFile Adapter);

using Akka.Actor;
using Akka.Streams;
using RecurrentKif.Actors.Pipeline;
using RecurrentKif.Gpu.Checkpoints;
using RecurrentKif.Gpu.Continual;

namespace RecurrentKif.Actors.Cluster;

// Messages between the coordinator's learner group and the learner workers on other nodes. They cross the network, so
// they carry names, paths, checkpoint references and stream references — never tensors (those flow through StreamRefs).
// Every message of a training attempt carries its id, a random GUID (docs/security.md: a counter could be guessed, and a
// forged commit would name any file), so a message from an abandoned attempt, or a forged one, is recognised and dropped.

/// <summary>Learner worker → coordinator (through the singleton proxy), every few seconds: this device is ready to train.</summary>
public sealed record RegisterLearner(IActorRef Worker, string Name, string SettingsFingerprint);

/// <summary>Group → worker: train rank <see cref="Rank"/> of <see cref="LearnerCount"/> of task k; the tasks 0..k are named with their folders.</summary>
public sealed record TrainShard(
    Guid Attempt, int TaskIndex, IReadOnlyList<TaskSource> Tasks, int Rank, int LearnerCount,
    CheckpointReference? PreviousTaskEnd, IReadOnlyList<CheckpointReference> ResumeCandidates, string SettingsFingerprint);

/// <summary>Group → worker: stop training the attempt (a learner left, or another rank failed).</summary>
public sealed record AbandonShard(Guid Attempt);

/// <summary>
/// Worker → group at the end of a cycle: a stream with this rank's θ_ref, θ after the inner steps, θ after the outer
/// steps and both importance scores (no importance → <see cref="HasImportance"/> false and only the weights).
/// </summary>
public sealed record ShardCycleReady(Guid Attempt, int TaskIndex, int Step, int Rank, bool HasImportance, ISourceRef<byte[]> Tensors);

/// <summary>Group → worker: the cycle's fused (or, without importance, averaged) θ to continue from.</summary>
public sealed record ShardCycleFused(Guid Attempt, int TaskIndex, int Step, MaskShares Shares, bool Fused, ISourceRef<byte[]> Theta);

/// <summary>Worker → group: this rank's commit of a step boundary.</summary>
public sealed record ShardCommitted(Guid Attempt, int Rank, StepsCommitted Commit);

/// <summary>Worker → group: this rank finished the task.</summary>
public sealed record ShardFinished(Guid Attempt, int Rank, TaskTrainingDone Done);

/// <summary>Worker → group: this rank could not go on (NaN loss, unusable checkpoint, mismatched settings).</summary>
public sealed record ShardFailed(Guid Attempt, int Rank, TrainingFailed Failure);

/// <summary>Group → coordinator: the learners now training (for status).</summary>
public sealed record LearnersChanged(IReadOnlyList<string> Names);

using RecurrentKif.Actors.Pipeline;
using RecurrentKif.Gpu.Checkpoints;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Messages;

namespace RecurrentKif.Actors.Cluster;

/// <summary>
/// The one place where the cluster protocol's plain wire forms (RecurrentKif.Messages, docs/security.md §6) and the
/// in-process types of the learner meet: the learner worker and its cycle uplink convert what they send and receive,
/// the learner group what it receives from and sends to the workers. Every conversion keeps every value (NaN included).
/// </summary>
public static class WireForms
{
    public static CheckpointFile ToWire(CheckpointReference r) => new(r.Path, r.Sha256);

    public static CheckpointReference ToReference(CheckpointFile f) => new(f.Path, f.Sha256);

    public static CheckpointReference? ToReferenceOrNull(CheckpointFile? f) => f is null ? null : ToReference(f);

    public static IReadOnlyList<CheckpointFile> ToWire(IEnumerable<CheckpointReference> refs) => refs.Select(ToWire).ToList();

    public static IReadOnlyList<CheckpointReference> ToReferences(IEnumerable<CheckpointFile> files) => files.Select(ToReference).ToList();

    public static CheckpointFile? ToWireOrNull(CheckpointReference? r) => r is null ? null : ToWire(r);

    public static MaskShareSummary ToWire(MaskShares s) => new(s.InOnly, s.OutOnly, s.Both, s.Neither);

    public static MaskShares ToShares(MaskShareSummary s) => new(s.InOnly, s.OutOnly, s.Both, s.Neither);

    public static ShardCommit ToWire(StepsCommitted m) => new(m.TaskIndex, m.Step, m.TotalSteps, ToWire(m.Checkpoint), m.Loss);

    /// <summary>The statistics as the journal's summary (<see cref="Summaries.Of"/>); <see cref="ToDone"/> rebuilds them unchanged.</summary>
    public static ShardResult ToWire(TaskTrainingDone m) => new(m.TaskIndex, ToWire(m.AdapterCheckpoint), Summaries.Of(m.Stats));

    public static TaskTrainingDone ToDone(ShardResult m) => new(m.TaskIndex, ToReference(m.Adapter), Summaries.ToStats(m.Summary));

    public static ShardFailure ToWire(TrainingFailed m) => new(m.TaskIndex, m.Step, m.Reason, m.NonFiniteLoss);

    public static TrainingFailed ToFailed(ShardFailure m) => new(m.TaskIndex, m.Step, m.Reason, m.NonFiniteLoss);
}

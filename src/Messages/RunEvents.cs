namespace RecurrentKif.Messages;

/// <summary>
/// The RunCoordinator's journal. Events carry checkpoint references (path + SHA-256) and small numbers, never
/// tensors. They are stored with an explicit, versioned serializer (RunEventSerializer); a change to a record's
/// shape needs a new version there, not a silent rename.
/// </summary>
public interface IRunEvent;

/// <summary>
/// The run began: its settings fingerprint (a resumed run must match it), the task order, and the initial adapter
/// (seeded LoRA initialisation and RNG state), from which task 0 restarts if it has no usable commit.
/// </summary>
public sealed record RunStarted(string RunId, string SettingsFingerprint, IReadOnlyList<string> TaskNames, DateTime StartedUtc,
    string InitialCheckpointPath, string InitialSha256) : IRunEvent;

/// <summary>Training of task <see cref="TaskIndex"/> began from the adapter committed at the end of the previous task.</summary>
public sealed record TaskStarted(int TaskIndex) : IRunEvent;

/// <summary>A step boundary of the task is on disk: resume continues after <see cref="Step"/>.</summary>
public sealed record CycleCommitted(int TaskIndex, int Step, int TotalSteps, string CheckpointPath, string Sha256, double Loss) : IRunEvent;

/// <summary>A cycle was abandoned (e.g. a NaN loss) and training went back to the last commit.</summary>
public sealed record CycleRolledBack(int TaskIndex, int FromStep, int ToStep, string Reason) : IRunEvent;

/// <summary>Task training ended; the adapter to evaluate and to carry on is in the checkpoint.</summary>
public sealed record TaskTrained(int TaskIndex, string CheckpointPath, string Sha256, TaskSummary Summary) : IRunEvent;

/// <summary>Row <see cref="TaskIndex"/> of the accuracy matrix: every task evaluated after this one.</summary>
public sealed record TaskEvaluated(int TaskIndex, IReadOnlyList<double> Accuracies) : IRunEvent;

/// <summary>
/// A task sent from outside (ClusterClient, HTTP) was appended to the run's sequence. <see cref="Source"/> is the
/// validated absolute folder the submitter gave. <see cref="Sha256"/> names the copy the run took on acceptance
/// (<c>&lt;run folder&gt;/submitted/&lt;sha256&gt;/</c>), which is what every later read uses; null in journals written
/// before copies were taken ("TaskQueued.v1"), which still read <see cref="Source"/>.
/// </summary>
public sealed record TaskQueued(string TaskName, string Source, string? Sha256 = null) : IRunEvent;

public sealed record RunFinished(DateTime FinishedUtc) : IRunEvent;

/// <summary>
/// What training one task did, for status and reports. The last two were added later: older journals lack them
/// (null), and JSON has no NaN, so an unmeasured value is null.
/// </summary>
public sealed record TaskSummary(
    string Task, int InnerSteps, int OuterSteps, int Fusions, double? BestValidationLoss, double? LastValidationLoss,
    int SelectedStep, double Seconds, long TrainingTokens, IReadOnlyList<double> Losses, IReadOnlyList<MaskShareSummary> FusionShares,
    IReadOnlyList<double?>? FirstTokenLosses = null, IReadOnlyList<ValidationSummary>? Validations = null);

/// <summary>One validation of a checkpoint candidate: mean label loss and teacher-forced first-answer-token accuracy.</summary>
public sealed record ValidationSummary(int Step, double? Loss, double? FirstTokenAccuracy);

/// <summary>How many LoRA scalars were key for the new task only, the old tasks only, both, or neither at one fusion.</summary>
public sealed record MaskShareSummary(long InOnly, long OutOnly, long Both, long Neither);

namespace RecurrentKif.Messages;

/// <summary>
/// Asks the coordinator where the run stands. Through the task gateway from another process (ClusterClient) the
/// gateway token must be given, as for HTTP /status; callers inside the node leave it null.
/// </summary>
public sealed record GetRunStatus(string? Token = null);

/// <summary>The coordinator's answer: progress, the latest commit, and the accuracy rows so far.</summary>
/// <see cref="CoordinatorNode"/> is the address of the node the coordinator runs on (it moves on fail-over);
/// <see cref="Learners"/> names the learners training the current task.
public sealed record RunStatus(
    string RunId, IReadOnlyList<string> TaskNames, int CurrentTask, string Phase, int Step, int TotalSteps,
    string? LastCheckpoint, IReadOnlyList<IReadOnlyList<double>> AccuracyRows, bool Finished,
    string CoordinatorNode, IReadOnlyList<string> Learners);

/// <summary>Sent by the coordinator's parent when the run is complete (the launcher waits for it).</summary>
public sealed record RunCompleted(string RunId, bool Succeeded, string? Error);

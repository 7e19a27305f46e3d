namespace RecurrentKif.Messages;

/// <summary>
/// Another service asks the run to learn one more task (through ClusterClient or the HTTP gateway). The task's
/// files are in the long-sequence layout, <c>&lt;Source&gt;/{train,dev,test}/&lt;Name&gt;.json</c>; <see cref="Source"/> is a
/// folder relative to the cluster's data root (or absolute, but inside it). The token authenticates the caller.
/// </summary>
public sealed record SubmitTask(string Name, string Source, string Token);

/// <summary>Why a submission was refused; <see cref="None"/> when it was accepted.</summary>
public enum SubmissionRefusal
{
    None,
    /// <summary>Missing or wrong token (HTTP 401).</summary>
    Unauthenticated,
    /// <summary>Schema, size or path check failed (HTTP 400).</summary>
    Invalid,
    /// <summary>The run already has a task of that name (HTTP 409).</summary>
    Duplicate,
    /// <summary>The coordinator did not answer in time, e.g. during a fail-over (HTTP 503; safe to retry).</summary>
    Unavailable,
}

/// <summary>The answer to a submission: accepted with its place in the run's sequence, or refused with the reason.</summary>
public sealed record TaskSubmissionResult(string Name, SubmissionRefusal Refusal, int? TaskIndex, string? Error)
{
    public bool Accepted => Refusal == SubmissionRefusal.None;

    public static TaskSubmissionResult Queued(string name, int index) => new(name, SubmissionRefusal.None, index, null);

    public static TaskSubmissionResult Refused(string name, SubmissionRefusal why, string error) => new(name, why, null, error);
}

/// <summary>
/// Gateway → coordinator, after the gateway validated the submission: append the task to the run. The coordinator
/// journals <see cref="TaskQueued"/> before it answers, so an accepted task survives any crash.
/// </summary>
public sealed record QueueTask(string Name, string Source);

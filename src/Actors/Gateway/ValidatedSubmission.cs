using RecurrentKif.Messages;

namespace RecurrentKif.Actors.Gateway;

/// <summary>What the validator decided: exactly one of <see cref="Queue"/> (send it on) or <see cref="Refusal"/> (answer it).</summary>
public sealed record ValidatedSubmission
{
    private ValidatedSubmission(QueueTask? queue, TaskSubmissionResult? refusal) => (Queue, Refusal) = (queue, refusal);

    /// <summary>The task for the coordinator, with the absolute, symlink-free folder that was checked.</summary>
    public QueueTask? Queue { get; }

    public TaskSubmissionResult? Refusal { get; }

    public static ValidatedSubmission Accept(QueueTask queue) => new(queue, null);

    public static ValidatedSubmission Refuse(string name, SubmissionRefusal why, string error) =>
        new(null, TaskSubmissionResult.Refused(name, why, error));
}

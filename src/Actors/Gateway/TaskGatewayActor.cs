using Akka.Actor;
using RecurrentKif.Actors.Telemetry;
using RecurrentKif.Messages;
using Serilog;

namespace RecurrentKif.Actors.Gateway;

/// <summary>
/// The learner side's front door for other services. A <see cref="SubmitTask"/> (from ClusterClient or the HTTP
/// endpoint) is validated first; a refusal is answered at once and nothing reaches the coordinator, so nothing is
/// persisted. A valid one goes to the coordinator as <see cref="QueueTask"/> and its answer is relayed; no answer in
/// time means <see cref="SubmissionRefusal.Unavailable"/> (e.g. during a fail-over). <see cref="GetRunStatus"/> is relayed too.
/// </summary>
public sealed class TaskGatewayActor : ReceiveActor
{
    /// <summary>Where the node creates the gateway; ClusterClient callers address it by this path.</summary>
    public const string Name = "task-gateway";
    public const string Path = "/user/" + Name;

    internal static readonly ILogger Logger = Log.ForContext<TaskGatewayActor>();

    private readonly GatewaySettings settings;
    private readonly IActorRef coordinator;
    private readonly TaskSubmissionValidator validator;
    private readonly GatewayToken statusToken;

    // One validation at a time: each parses whole task files (up to max-task-file-bytes) in memory, and a burst of
    // submissions must not multiply that. The actor itself stays free to answer status requests meanwhile.
    private readonly SemaphoreSlim validationSlot = new(1, 1);

    public TaskGatewayActor(GatewaySettings settings, IActorRef coordinator)
    {
        this.settings = settings;
        this.coordinator = coordinator;
        validator = new TaskSubmissionValidator(settings);
        statusToken = new GatewayToken(settings.Token);
        Receive<SubmitTask>(Submit);
        Receive<Validated>(Forward);
        Receive<CoordinatorAnswered>(Relay);
        Receive<GetRunStatus>(AskStatus);
    }

    public static Props Props(GatewaySettings settings, IActorRef coordinator) =>
        Akka.Actor.Props.Create(() => new TaskGatewayActor(settings, coordinator));

    private void Submit(SubmitTask submission)
    {
        var replyTo = Sender;
        RkifMetrics.TasksSubmitted.Add(1);
        // The name is the caller's text and goes into log lines: escaped. Accepted names are plain by then anyway.
        string name = TaskSubmissionValidator.Printable(submission.Name ?? "");
        if (validator.RefuseUnauthenticated(submission) is { } unauthenticated)
        {
            Forward(new Validated(name, unauthenticated, replyTo));   // before the slot: no queue of strangers
            return;
        }
        ValidateAsync(submission).PipeTo(Self, success: result => new Validated(name, result, replyTo),
            failure: e => new Validated(name, ValidatedSubmission.Refuse(submission.Name ?? "", SubmissionRefusal.Unavailable,
                $"the gateway could not check task '{submission.Name}': {e.GetBaseException().Message}"), replyTo, e));
    }

    private async Task<ValidatedSubmission> ValidateAsync(SubmitTask submission)
    {
        await validationSlot.WaitAsync().ConfigureAwait(false);
        try { return await Task.Run(() => validator.Validate(submission)).ConfigureAwait(false); }
        finally { validationSlot.Release(); }
    }

    private void Forward(Validated validated)
    {
        if (validated.Result.Refusal is { } refusal)
        {
            if (validated.Failure is not null) Logger.Error(validated.Failure, "Task gateway: checking task {Task} failed", validated.Name);
            Logger.Warning("Task gateway refused task {Task} ({Refusal}): {Error}", validated.Name, refusal.Refusal, refusal.Error);
            RkifMetrics.TasksRefused.Add(1, new KeyValuePair<string, object?>("reason", refusal.Refusal.ToString()));
            validated.ReplyTo.Tell(refusal);
            return;
        }
        var queue = validated.Result.Queue!;
        var replyTo = validated.ReplyTo;
        coordinator.Ask<TaskSubmissionResult>(queue, settings.AskTimeout).PipeTo(Self,
            success: answer => new CoordinatorAnswered(queue, answer, replyTo),
            failure: e => new CoordinatorAnswered(queue, TaskSubmissionResult.Refused(queue.Name, SubmissionRefusal.Unavailable, e is AskTimeoutException
                ? $"the run's coordinator did not answer within {settings.AskTimeout.TotalSeconds:0.#} s (fail-over in progress?); retry later"
                : $"the run's coordinator failed to queue task '{queue.Name}': {e.GetBaseException().Message}"), replyTo));
    }

    private void Relay(CoordinatorAnswered answered)
    {
        var result = answered.Result;
        if (result.Accepted)
            Logger.Information("Task gateway queued task {Task} from {Source} as task {Index}", result.Name, answered.Queue.Source, result.TaskIndex);
        else
        {
            Logger.Warning("Task gateway: the coordinator refused task {Task} ({Refusal}): {Error}", result.Name, result.Refusal, result.Error);
            RkifMetrics.TasksRefused.Add(1, new KeyValuePair<string, object?>("reason", result.Refusal.ToString()));
        }
        answered.ReplyTo.Tell(result);
    }

    private void AskStatus(GetRunStatus request)
    {
        var replyTo = Sender;
        // The status names tasks, folders and node addresses: a caller from another process (ClusterClient) shows the
        // token, as HTTP /status does. Callers in this process (the HTTP endpoint after its own check, health probes) need not.
        if (FromOutsideThisProcess(replyTo) && !statusToken.Matches(request.Token))
        {
            Logger.Warning("Task gateway refused a status request from {Caller}: missing or wrong token", replyTo.Path.Address);
            RkifMetrics.TasksRefused.Add(1, new KeyValuePair<string, object?>("reason", "StatusUnauthenticated"));
            replyTo.Tell(new Status.Failure(new UnauthorizedAccessException("status refused: missing or wrong token")));
            return;
        }
        var timeout = settings.AskTimeout;
        // The answer may cross to a ClusterClient in another process: MessageSerializer carries any list (docs/security.md).
        coordinator.Ask<RunStatus>(request, timeout).PipeTo(replyTo, success: status => status,
            failure: e => new Status.Failure(e is AskTimeoutException
                ? new TimeoutException($"the run's coordinator did not answer a status request within {timeout.TotalSeconds:0.#} s (fail-over in progress?)")
                : new InvalidOperationException($"the run's coordinator failed to report its status: {e.GetBaseException().Message}")));
    }

    // A ClusterClient's request arrives through the receptionist, whose response tunnel is a local child of
    // /system/receptionist; a request from another node has a remote sender.
    private static bool FromOutsideThisProcess(IActorRef sender) =>
        !sender.Path.Address.HasLocalScope
        || sender.Path.Elements is [ "system", "receptionist", .. ];

    private sealed record Validated(string Name, ValidatedSubmission Result, IActorRef ReplyTo, Exception? Failure = null);

    private sealed record CoordinatorAnswered(QueueTask Queue, TaskSubmissionResult Result, IActorRef ReplyTo);
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace RecurrentKif.Messages;

/// <summary>
/// The HTTP gateway's JSON bodies, shared by the server (src/Actors/Gateway/HttpTaskGateway.cs) and the client library.
/// <c>POST /tasks</c> takes a <see cref="TaskSubmissionRequest"/>; 202 answers <see cref="TaskSubmissionAccepted"/>, every
/// 4xx/5xx answers <see cref="GatewayError"/>; <c>GET /status</c> answers <see cref="RunStatus"/>.
/// </summary>
public static class TaskGatewayHttp
{
    public const string TasksRoute = "/tasks";
    public const string StatusRoute = "/status";
    public const string HealthRoute = "/health";
    /// <summary>Liveness only (is the process worth keeping?), for an orchestrator's liveness probe.</summary>
    public const string LivenessRoute = "/health/live";
    /// <summary>Readiness and the journal (should work be sent here?), for a load balancer's readiness probe.</summary>
    public const string ReadinessRoute = "/health/ready";

    /// <summary>camelCase names, enums as names, and unknown fields refused (a typo must not be silently dropped).</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter() },
    };
}

/// <summary>Body of <c>POST /tasks</c>: <c>{"name": "sst2", "source": "incoming/sst2"}</c>. Fields are nullable so a missing one gets a clear 400.</summary>
public sealed record TaskSubmissionRequest(string? Name, string? Source);

/// <summary>202 body: the task was journaled as the run's task <see cref="TaskIndex"/> (0-based).</summary>
public sealed record TaskSubmissionAccepted(string Name, int TaskIndex);

/// <summary>Body of every refusal: what is wrong and where; <see cref="Refusal"/> when a submission was refused.</summary>
public sealed record GatewayError(string Error, SubmissionRefusal? Refusal = null);

/// <summary>
/// Body of <c>GET /health</c> (and /health/live, /health/ready): 200 when every check is Healthy, 503 otherwise, with
/// the failing checks named in <see cref="Failing"/>. Descriptions are fixed texts; error details go to the node's log.
/// </summary>
public sealed record NodeHealthReport(string Status, IReadOnlyList<string> Failing, IReadOnlyList<NodeHealthEntry> Checks);

/// <summary>One check of a <see cref="NodeHealthReport"/>: liveness, readiness or journal.</summary>
public sealed record NodeHealthEntry(string Name, string Status, string? Description, double DurationMs);

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

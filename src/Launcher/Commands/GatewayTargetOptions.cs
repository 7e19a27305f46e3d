using System.CommandLine;
using Akka.Configuration;
using RecurrentKif.Client;
using RecurrentKif.Messages;

namespace RecurrentKif.Launcher.Commands;

/// <summary>
/// How `rkif submit` and `rkif cluster-status` reach a cluster: ClusterClient (--contact, repeatable) or HTTP (--http),
/// with the gateway token from --token or RKIF_GATEWAY_TOKEN.
/// </summary>
public sealed class GatewayTargetOptions
{
    public const string TokenVariable = "RKIF_GATEWAY_TOKEN";

    public Option<string[]> Contact { get; } = new("--contact")
    {
        Description = "A cluster node's address, e.g. akka.tcp://rkif@127.0.0.1:25520 (repeatable; any one that answers is enough)",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string> Http { get; } = new("--http") { Description = "The cluster's HTTP gateway instead, e.g. http://127.0.0.1:8080" };

    public Option<string> Token { get; } = new("--token")
    {
        Description = $"The gateway's bearer token (rkif.gateway.token); default: the {TokenVariable} environment variable, which keeps it out of the process list",
    };

    public Option<double> Timeout { get; } = new("--timeout")
    {
        Description = "Seconds to wait for the answer",
        DefaultValueFactory = _ => 30,
    };

    public void AddTo(Command command)
    {
        command.Add(Contact);
        command.Add(Http);
        command.Add(Token);
        command.Add(Timeout);
    }

    public TimeSpan TimeoutOf(ParseResult parse)
    {
        double seconds = parse.GetValue(Timeout);
        return seconds > 0 && double.IsFinite(seconds) ? TimeSpan.FromSeconds(seconds) : throw new ArgumentException($"--timeout must be a positive number of seconds, got {seconds}");
    }

    /// <summary>The token from --token or the environment; an error when there is none and <paramref name="required"/>.</summary>
    public string TokenOf(ParseResult parse, bool required)
    {
        string token = parse.GetValue(Token) is { Length: > 0 } given ? given : Environment.GetEnvironmentVariable(TokenVariable) ?? "";
        return token.Length > 0 || !required ? token : throw new ArgumentException($"no gateway token: pass --token or set {TokenVariable}");
    }

    /// <summary>The ClusterClient contacts, or null when --http was given; an error unless exactly one of the two was.</summary>
    public (IReadOnlyList<string>? Contacts, Uri? Http) TargetOf(ParseResult parse)
    {
        string[] contacts = parse.GetValue(Contact) ?? [];
        string? http = parse.GetValue(Http);
        if (contacts.Length > 0 == http is not null)
            throw new ArgumentException("give the cluster as --contact akka.tcp://rkif@host:port (repeatable) or as --http http://host:port, one of the two");
        if (http is null) return (contacts, null);
        return Uri.TryCreate(http, UriKind.Absolute, out Uri? url) && url.Scheme is "http" or "https"
            ? (null, url)
            : throw new ArgumentException($"--http '{http}' is not an http(s) URL like http://127.0.0.1:8080");
    }

    /// <summary>A ClusterClient whose Akka log lines go through Serilog like the rest of rkif's output.</summary>
    public static TaskSubmissionClient ConnectCluster(IReadOnlyList<string> contacts) =>
        TaskSubmissionClient.Connect(contacts, overrides: ConfigurationFactory.ParseString(
            "akka.loggers = [\"RecurrentKif.Actors.SerilogAkkaLogger, RecurrentKif.Actors\"]"));

    public static string Describe(TaskSubmissionResult result) =>
        result.Accepted ? $"queued task '{result.Name}' as task {result.TaskIndex} of the run" : $"task '{result.Name}' refused ({result.Refusal}): {result.Error}";
}

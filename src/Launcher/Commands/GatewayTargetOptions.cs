using System.CommandLine;
using Akka.Configuration;
using RecurrentKif.Client;
using RecurrentKif.Client.Security;
using RecurrentKif.Messages;

namespace RecurrentKif.Launcher.Commands;

/// <summary>
/// How `rkif submit` and `rkif cluster-status` reach a cluster: ClusterClient (--contact, repeatable) or HTTP (--http),
/// with the gateway token from --token or RKIF_GATEWAY_TOKEN, and for ClusterClient the cluster's TLS certificates
/// (--tls-certificate, --tls-ca, or the RKIF_CLUSTER_TLS_* variables a node reads; docs/security.md).
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

    public Option<string> TlsCertificate { get; } = new("--tls-certificate")
    {
        Description = "ClusterClient over TLS: this client's certificate with key (PFX, signed by the cluster CA); default RKIF_CLUSTER_TLS_CERTIFICATE. "
            + "Its password comes from RKIF_CLUSTER_TLS_PASSWORD",
    };

    public Option<string> TlsCa { get; } = new("--tls-ca") { Description = "ClusterClient over TLS: the cluster CA certificate; default RKIF_CLUSTER_TLS_CA" };

    public void AddTo(Command command)
    {
        command.Add(TlsCertificate);
        command.Add(TlsCa);
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

    /// <summary>The client's TLS certificates, or null when neither the options nor the environment name a certificate.</summary>
    public ClusterTlsOptions? TlsOf(ParseResult parse)
    {
        string certificate = parse.GetValue(TlsCertificate) is { Length: > 0 } c ? c : Environment.GetEnvironmentVariable("RKIF_CLUSTER_TLS_CERTIFICATE") ?? "";
        string ca = parse.GetValue(TlsCa) is { Length: > 0 } a ? a : Environment.GetEnvironmentVariable("RKIF_CLUSTER_TLS_CA") ?? "";
        if (certificate.Length == 0 && ca.Length == 0) return null;
        if (certificate.Length == 0 || ca.Length == 0) throw new ArgumentException("ClusterClient over TLS needs both --tls-certificate and --tls-ca (or RKIF_CLUSTER_TLS_CERTIFICATE and RKIF_CLUSTER_TLS_CA)");
        return new ClusterTlsOptions(Path.GetFullPath(certificate), Environment.GetEnvironmentVariable("RKIF_CLUSTER_TLS_PASSWORD") ?? "", Path.GetFullPath(ca));
    }

    /// <summary>A ClusterClient (over TLS when certificates are given) whose Akka log lines go through Serilog like the rest of rkif's output.</summary>
    public TaskSubmissionClient ConnectCluster(ParseResult parse, IReadOnlyList<string> contacts) =>
        TaskSubmissionClient.Connect(contacts, overrides: ConfigurationFactory.ParseString(
            "akka.loggers = [\"RecurrentKif.Actors.SerilogAkkaLogger, RecurrentKif.Actors\"]"), tls: TlsOf(parse));

    public static string Describe(TaskSubmissionResult result) =>
        result.Accepted ? $"queued task '{result.Name}' as task {result.TaskIndex} of the run" : $"task '{result.Name}' refused ({result.Refusal}): {result.Error}";
}

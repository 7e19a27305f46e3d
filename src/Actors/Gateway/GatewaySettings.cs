namespace RecurrentKif.Actors.Gateway;

/// <summary>
/// How the task gateway admits submissions from other services (hocon <c>rkif.gateway</c>; reference.conf documents
/// each key). An empty <see cref="Token"/> means no token is configured, and every submission is refused.
/// </summary>
public sealed record GatewaySettings
{
    /// <summary>The bearer token callers must present; empty = refuse everything.</summary>
    public required string Token { get; init; }

    /// <summary>Absolute folder every submitted task's files must lie in (symlinks resolved).</summary>
    public required string DataRoot { get; init; }

    /// <summary>TCP port of the HTTP endpoint; 0 = no HTTP endpoint.</summary>
    public int HttpPort { get; init; }

    /// <summary>IP address the HTTP endpoint listens on.</summary>
    public string HttpBind { get; init; } = "127.0.0.1";

    /// <summary>Largest task file (one split) accepted, in bytes: validation parses the whole file in memory.</summary>
    public long MaxTaskFileBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Most records one split may hold.</summary>
    public int MaxRecordsPerSplit { get; init; } = 200_000;

    /// <summary>How long the gateway waits for the coordinator before it answers "unavailable".</summary>
    public TimeSpan AskTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public bool HasToken => Token.Length > 0;

    // The default record ToString prints every property; the token must never reach a log line.
    public override string ToString() =>
        $"GatewaySettings {{ Token = {(HasToken ? "(set)" : "(none)")}, DataRoot = {DataRoot}, HttpPort = {HttpPort}, HttpBind = {HttpBind}, " +
        $"MaxTaskFileBytes = {MaxTaskFileBytes}, MaxRecordsPerSplit = {MaxRecordsPerSplit}, AskTimeout = {AskTimeout} }}";
}

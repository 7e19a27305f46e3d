using Akka.Configuration;
using RecurrentKif.Actors.Settings;
using RecurrentKif.Client.Security;

namespace RecurrentKif.Actors.Cluster;

/// <summary>
/// One node of a RecurrentKif cluster (<c>rkif.cluster</c> in reference.conf): where it listens, whom it joins, what it
/// does (roles), and how the cluster decides to down a node it cannot reach (the split brain resolver).
/// </summary>
public sealed record ClusterSettings
{
    public const string CoordinatorRole = "coordinator";
    public const string LearnerRole = "learner";
    public const string SystemName = "rkif";

    public required string Hostname { get; init; }
    public required int Port { get; init; }
    public required IReadOnlyList<string> SeedNodes { get; init; }
    /// <summary>coordinator: may host the RunCoordinator singleton (and evaluates); learner: trains on this node's device.</summary>
    public required IReadOnlyList<string> Roles { get; init; }
    public required string LearnerName { get; init; }
    public required int MinLearners { get; init; }
    public required string DowningStrategy { get; init; }
    public required TimeSpan StableAfter { get; init; }
    /// <summary>Akka.Remote over mutually authenticated TLS with these certificates (docs/security.md); null = plain TCP.</summary>
    public ClusterTlsOptions? Tls { get; init; }

    public bool IsCoordinator => Roles.Contains(CoordinatorRole);
    public bool IsLearner => Roles.Contains(LearnerRole);
    public string Address => $"{(Tls is null ? ClusterTls.TcpScheme : ClusterTls.TlsScheme)}://{SystemName}@{Hostname}:{Port}";

    /// <summary>
    /// Reads <c>rkif.cluster</c>; the environment overrides the per-node keys (RKIF_CLUSTER_HOSTNAME, RKIF_CLUSTER_PORT,
    /// RKIF_CLUSTER_SEEDS as a comma list, RKIF_CLUSTER_ROLES as a comma list, RKIF_LEARNER_NAME), so one file serves every node.
    /// </summary>
    public static ClusterSettings Load(Config config, string file)
    {
        RunConfigurationException Error(string key, string problem) => new($"{file}: rkif.cluster.{key} {problem}");
        string Text(string key, string? env)
        {
            string? fromEnv = env is null ? null : Environment.GetEnvironmentVariable(env);
            if (!string.IsNullOrWhiteSpace(fromEnv)) return fromEnv.Trim();
            return config.GetString("rkif.cluster." + key) ?? throw Error(key, "is missing");
        }
        IReadOnlyList<string> List(string key, string env)
        {
            string? fromEnv = Environment.GetEnvironmentVariable(env);
            if (!string.IsNullOrWhiteSpace(fromEnv)) return fromEnv.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return config.GetStringList("rkif.cluster." + key)?.ToList() ?? throw Error(key, "is missing");
        }
        int Int(string key, string? env, int min, int max)
        {
            string text = Text(key, env);
            return int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out int v) && v >= min && v <= max
                ? v : throw Error(key, $"must be an integer in [{min}, {max}], got '{text}'");
        }

        string hostname = Text("hostname", "RKIF_CLUSTER_HOSTNAME");
        int port = Int("port", "RKIF_CLUSTER_PORT", 1, 65535);
        var tls = LoadTls(config, hostname, Error);
        var seeds = List("seed-nodes", "RKIF_CLUSTER_SEEDS").Select(s => ClusterTls.WithScheme(SeedAddress(s), tls is not null)).ToList();
        if (seeds.Count == 0) throw Error("seed-nodes", "must name at least one node, e.g. [\"akka.tcp://rkif@127.0.0.1:25520\"] or [\"127.0.0.1:25520\"]");
        foreach (var seed in seeds)
            if (!seed.StartsWith($"{ClusterTls.WithScheme("akka.tcp://", tls is not null)}{SystemName}@", StringComparison.Ordinal)
                || !Uri.TryCreate(seed, UriKind.Absolute, out var uri) || uri.Port <= 0)
                throw Error("seed-nodes", $"entries look like \"akka.tcp://{SystemName}@host:port\" or \"host:port\", got '{seed}'");
        var roles = List("roles", "RKIF_CLUSTER_ROLES");
        var unknown = roles.Where(r => r is not (CoordinatorRole or LearnerRole)).ToList();
        if (roles.Count == 0 || unknown.Count > 0)
            throw Error("roles", $"must list {CoordinatorRole} and/or {LearnerRole}, got [{string.Join(", ", roles)}]");
        string learnerName = Text("learner-name", "RKIF_LEARNER_NAME");
        if (learnerName.Length == 0) learnerName = $"{hostname}-{port}";
        if (learnerName.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
            throw Error("learner-name", $"may use letters, digits, '-', '_' and '.', got '{learnerName}'");
        string strategy = Text("split-brain-resolver.active-strategy", null);
        if (strategy is not ("keep-oldest" or "keep-majority" or "static-quorum" or "down-all"))
            throw Error("split-brain-resolver.active-strategy", $"must be keep-oldest, keep-majority, static-quorum or down-all, got '{strategy}'");
        var stableAfter = config.GetTimeSpan("rkif.cluster.split-brain-resolver.stable-after", null, allowInfinite: false);
        if (stableAfter < TimeSpan.FromSeconds(1)) throw Error("split-brain-resolver.stable-after", $"must be at least 1s, got {stableAfter}");

        return new ClusterSettings
        {
            Hostname = hostname,
            Port = port,
            SeedNodes = seeds,
            Roles = roles,
            LearnerName = learnerName,
            MinLearners = Int("min-learners", null, 1, 1024),
            DowningStrategy = strategy,
            StableAfter = stableAfter,
            Tls = tls,
        };
    }

    /// <summary>
    /// <c>rkif.cluster.tls</c> (docs/security.md). Without a certificate the node speaks plain TCP, which anyone who
    /// reaches the port can steer; so that is refused unless the node listens on loopback only or the configuration
    /// says <c>insecure = on</c> in so many words.
    /// </summary>
    private static ClusterTlsOptions? LoadTls(Config config, string hostname, Func<string, string, RunConfigurationException> error)
    {
        string text(string key, string env) => Environment.GetEnvironmentVariable(env) is { Length: > 0 } fromEnv
            ? fromEnv.Trim() : config.GetString("rkif.cluster." + key, "") ?? "";
        string certificate = text("tls.certificate", "RKIF_CLUSTER_TLS_CERTIFICATE");
        string password = text("tls.password", "RKIF_CLUSTER_TLS_PASSWORD");
        string ca = text("tls.ca", "RKIF_CLUSTER_TLS_CA");
        bool insecure = config.GetBoolean("rkif.cluster.tls.insecure", false);
        if (certificate.Length == 0)
        {
            if (ca.Length > 0) throw error("tls.certificate", "is missing: tls.ca is set, so the node needs its own certificate (PFX) too");
            if (!insecure && !IsLoopback(hostname))
                throw error("tls.certificate", $"is missing: the node listens on '{hostname}', not loopback, and plain TCP lets anyone who reaches the port "
                    + "steer the cluster. Set rkif.cluster.tls (see docs/security.md; `rkif certs` makes a development set), or "
                    + "rkif.cluster.tls.insecure = on on a network you trust");
            return null;
        }
        if (ca.Length == 0) throw error("tls.ca", "is missing: name the cluster CA certificate that every peer's certificate must be signed by");
        return new ClusterTlsOptions(Path.GetFullPath(certificate), password, Path.GetFullPath(ca));
    }

    private static bool IsLoopback(string hostname) =>
        hostname.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (System.Net.IPAddress.TryParse(hostname, out var ip) && System.Net.IPAddress.IsLoopback(ip));

    /// <summary>
    /// A seed as written in rkif.cluster.seed-nodes or RKIF_CLUSTER_SEEDS: the full Akka address, or the shorthand
    /// host:port (every node's ActorSystem is named <see cref="SystemName"/>, so the rest is always the same).
    /// </summary>
    public static string SeedAddress(string seed) =>
        seed.Contains("://", StringComparison.Ordinal) ? seed : $"akka.tcp://{SystemName}@{seed}";
}

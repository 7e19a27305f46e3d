using Akka.Configuration;
using RecurrentKif.Actors.Settings;

namespace RecurrentKif.Actors.Hosting;

/// <summary>How the node's health checks behind <c>GET /health</c> probe (<c>rkif.cluster.health</c> in reference.conf).</summary>
public sealed record NodeHealthOptions
{
    /// <summary>
    /// The longest any one probe may take (a journal query, the coordinator's answer). A probe that has not answered
    /// by then counts as failed: a health endpoint that hangs is worse than one that says "unhealthy".
    /// </summary>
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(3);

    public static NodeHealthOptions Load(Config config, string file)
    {
        const string key = "rkif.cluster.health.probe-timeout";
        if (!config.HasPath(key)) throw new RunConfigurationException($"{file}: {key} is missing");
        TimeSpan timeout;
        try { timeout = config.GetTimeSpan(key, allowInfinite: false); }
        catch (Exception e) { throw new RunConfigurationException($"{file}: {key} must be a duration such as 3s ({e.Message})", e); }
        if (timeout <= TimeSpan.Zero || timeout > TimeSpan.FromMinutes(1))
            throw new RunConfigurationException($"{file}: {key} must be between 0 and 1 min, got {timeout}");
        return new NodeHealthOptions { ProbeTimeout = timeout };
    }
}

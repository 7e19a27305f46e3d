namespace RecurrentKif.Actors.Hosting.Health;

/// <summary>The names and tags of the node's health checks, as <c>GET /health</c> reports them.</summary>
public static class NodeHealthChecks
{
    /// <summary>The ActorSystem is running (not terminated): the process is worth keeping.</summary>
    public const string Liveness = "liveness";

    /// <summary>This node is an Up cluster member and the run's coordinator answers through the node's gateway.</summary>
    public const string Readiness = "readiness";

    /// <summary>The journal's database answers a query.</summary>
    public const string Journal = "journal";

    /// <summary>Tag of the checks <c>GET /health/live</c> runs.</summary>
    public const string LiveTag = "live";

    /// <summary>Tag of the checks <c>GET /health/ready</c> runs.</summary>
    public const string ReadyTag = "ready";
}

using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RecurrentKif.Messages;
using Serilog;

namespace RecurrentKif.Actors.Gateway;

/// <summary>
/// <c>GET /health</c>, <c>/health/live</c> and <c>/health/ready</c>: runs the node's health checks (docs/architecture.md §9.2,
/// "Health") and answers 200 or 503 with a <see cref="NodeHealthReport"/>. Like the plain "ok" it replaces, it needs no
/// token, so the body holds check names and fixed descriptions only; why a check failed (an exception, which may name
/// hosts) goes to the log, once when the check turns unhealthy and once when it recovers, not on every probe.
/// Without checks (a gateway started outside a node, as in tests) every route answers Healthy.
/// </summary>
internal sealed class HealthEndpoint(HealthCheckService? checks)
{
    private static readonly Serilog.ILogger Logger = Log.ForContext<HealthEndpoint>();
    private readonly ConcurrentDictionary<string, HealthStatus> _lastStatus = new();

    public Task AllAsync(HttpContext context) => AnswerAsync(context, _ => true);

    public Task LiveAsync(HttpContext context) => AnswerAsync(context, r => r.Tags.Contains(Hosting.Health.NodeHealthChecks.LiveTag));

    public Task ReadyAsync(HttpContext context) => AnswerAsync(context, r => r.Tags.Contains(Hosting.Health.NodeHealthChecks.ReadyTag));

    private async Task AnswerAsync(HttpContext context, Func<HealthCheckRegistration, bool> which)
    {
        // Each check has its own timeout (its registration's); the checks run concurrently, so this answers within the longest.
        var report = checks is null
            ? new HealthReport(new Dictionary<string, HealthReportEntry>(), TimeSpan.Zero)
            : await checks.CheckHealthAsync(which, context.RequestAborted).ConfigureAwait(false);
        foreach (var (name, entry) in report.Entries) LogTransition(name, entry);
        var body = new NodeHealthReport(
            report.Status.ToString(),
            report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy).Select(e => e.Key).ToList(),
            report.Entries.Select(e => new NodeHealthEntry(e.Key, e.Value.Status.ToString(), e.Value.Description, e.Value.Duration.TotalMilliseconds)).ToList());
        context.Response.StatusCode = report.Status == HealthStatus.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsJsonAsync(body, TaskGatewayHttp.JsonOptions, context.RequestAborted).ConfigureAwait(false);
    }

    private void LogTransition(string name, HealthReportEntry entry)
    {
        var previous = _lastStatus.GetValueOrDefault(name, HealthStatus.Healthy);
        _lastStatus[name] = entry.Status;
        if (entry.Status == previous) return;
        if (entry.Status == HealthStatus.Healthy)
            Logger.Information("Health check {Check} is healthy again: {Description}", name, entry.Description);
        else
            Logger.Warning(entry.Exception, "Health check {Check} is {Status}: {Description}", name, entry.Status, entry.Description);
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RecurrentKif.Actors.Gateway;
using RecurrentKif.Actors.Hosting.Health;
using RecurrentKif.Actors.Tests.Gateway;
using RecurrentKif.Messages;

namespace RecurrentKif.Actors.Tests.Hosting;

/// <summary>
/// <c>GET /health</c> on the HTTP gateway runs the node's checks: 200 when all are healthy, 503 naming the failing ones,
/// never a hang (a check that does not answer is cut off by its timeout), and no error detail in the body.
/// </summary>
public sealed class HealthEndpointTests : Akka.TestKit.Xunit2.TestKit, IAsyncLifetime
{
    private readonly TaskFolder folder = new();
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private HealthStatus journalStatus = HealthStatus.Healthy;
    private bool readinessHangs;
    private ServiceProvider? services;
    private HttpTaskGateway? endpoint;

    public async Task InitializeAsync()
    {
        var timeout = TimeSpan.FromSeconds(1);
        services = new ServiceCollection().AddLogging().AddHealthChecks()
            .Add(new HealthCheckRegistration(NodeHealthChecks.Liveness, _ => Check(_ => Task.FromResult(HealthCheckResult.Healthy("running"))),
                HealthStatus.Unhealthy, [NodeHealthChecks.LiveTag], timeout))
            .Add(new HealthCheckRegistration(NodeHealthChecks.Readiness, _ => Check(async token =>
                {
                    if (readinessHangs) await Task.Delay(Timeout.Infinite, token);
                    return HealthCheckResult.Healthy("ready");
                }), HealthStatus.Unhealthy, [NodeHealthChecks.ReadyTag], timeout))
            .Add(new HealthCheckRegistration(NodeHealthChecks.Journal, _ => Check(_ => Task.FromResult(
                    new HealthCheckResult(journalStatus, "the PostgreSQL journal is unreachable", new InvalidOperationException("secret-host:5432 refused")))),
                HealthStatus.Unhealthy, [NodeHealthChecks.ReadyTag], timeout))
            .Services.BuildServiceProvider();
        var settings = folder.Settings();
        endpoint = await HttpTaskGateway.StartAsync(settings, Sys.ActorOf(TaskGatewayActor.Props(settings, TestActor)), CancellationToken.None,
            services.GetRequiredService<HealthCheckService>());
        http.BaseAddress = endpoint.Url;
    }

    private static DelegateCheck Check(Func<CancellationToken, Task<HealthCheckResult>> body) => new(body);

    private sealed class DelegateCheck(Func<CancellationToken, Task<HealthCheckResult>> body) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) => body(cancellationToken);
    }

    private async Task<(HttpStatusCode Status, NodeHealthReport Report, string Body)> Get(string route)
    {
        using var response = await http.GetAsync(route);
        string body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, System.Text.Json.JsonSerializer.Deserialize<NodeHealthReport>(body, TaskGatewayHttp.JsonOptions)!, body);
    }

    [Fact]
    public async Task All_healthy_is_200_with_every_check_listed()
    {
        var (status, report, _) = await Get(TaskGatewayHttp.HealthRoute);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", report.Status);
        Assert.Empty(report.Failing);
        Assert.Equal([NodeHealthChecks.Liveness, NodeHealthChecks.Readiness, NodeHealthChecks.Journal], report.Checks.Select(c => c.Name));
    }

    [Fact]
    public async Task An_unreachable_journal_is_503_naming_the_journal_without_the_error_detail()
    {
        journalStatus = HealthStatus.Unhealthy;
        var (status, report, body) = await Get(TaskGatewayHttp.HealthRoute);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Unhealthy", report.Status);
        Assert.Equal([NodeHealthChecks.Journal], report.Failing);
        Assert.DoesNotContain("secret-host", body);
        // Liveness alone stays 200: the process is worth keeping while its journal is away.
        Assert.Equal(HttpStatusCode.OK, (await Get(TaskGatewayHttp.LivenessRoute)).Status);
        Assert.Equal([NodeHealthChecks.Journal], (await Get(TaskGatewayHttp.ReadinessRoute)).Report.Failing);

        journalStatus = HealthStatus.Healthy;
        Assert.Equal(HttpStatusCode.OK, (await Get(TaskGatewayHttp.HealthRoute)).Status);
    }

    [Fact]
    public async Task A_check_that_never_answers_is_cut_off_by_its_timeout()
    {
        readinessHangs = true;
        var clock = Stopwatch.StartNew();
        var (status, report, _) = await Get(TaskGatewayHttp.HealthRoute);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal([NodeHealthChecks.Readiness], report.Failing);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"/health took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_gateway_without_checks_answers_healthy()
    {
        var settings = folder.Settings() with { HttpPort = 0 };
        await using var bare = await HttpTaskGateway.StartAsync(settings, TestActor, CancellationToken.None);
        using var response = await http.GetAsync(new Uri(bare.Url, TaskGatewayHttp.HealthRoute));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        if (endpoint is not null) await endpoint.DisposeAsync();
        if (services is not null) await services.DisposeAsync();
        folder.Dispose();
    }
}

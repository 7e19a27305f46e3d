using System.Diagnostics;
using System.Net;
using System.Text.Json;
using RecurrentKif.Messages;
using Xunit.Abstractions;

namespace RecurrentKif.Integration.Tests;

/// <summary>
/// Issue 16: a real `rkif node` (coordinator role, HTTP gateway) journaling to a private PostgreSQL whose password holds
/// <c>"</c>, <c>\</c>, <c>'</c> and <c>;</c>. The node starts (earlier versions could not parse their own config) and
/// its journal tables are created by that role, so the password reached the journal intact. With PostgreSQL stopped,
/// <c>GET /health</c> answers 503 naming the journal, each answer within seconds; started again, it is 200 again.
/// </summary>
public sealed class NodeHealthTests(ITestOutputHelper output) : IDisposable
{
    private const string Password = "pa\"ss\\wo'rd;x ${y}";
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);
    private readonly string _root = Directory.CreateTempSubdirectory("rkif-node-health").FullName;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(20) };
    private NodeProcess? _node;

    [Fact]
    public async Task Health_goes_unhealthy_naming_the_journal_while_PostgreSQL_is_stopped()
    {
        using var postgres = new StoppablePostgres(Password);
        int akkaPort = PostgresServer.FreePort(), httpPort = PostgresServer.FreePort();
        _node = new NodeProcess("node", $"node \"{WriteConfig(postgres.ConnectionString, akkaPort, httpPort)}\"", new Dictionary<string, string>());
        var health = new Uri($"http://127.0.0.1:{httpPort}{TaskGatewayHttp.HealthRoute}");

        var healthy = await WaitFor(health, HttpStatusCode.OK, "the node to report healthy");
        Assert.Empty(healthy.Failing);
        Assert.Equal(["journal", "liveness", "readiness"], healthy.Checks.Select(c => c.Name).Order());
        Assert.Contains(("journal", "rkif"), postgres.Tables());
        // The split brain resolver keys set outside Akka.Cluster.Hosting's options reached the running system.
        Assert.Contains("split brain resolver keep-oldest, stable-after 00:00:07", _node.Output);

        postgres.Stop();
        var clock = Stopwatch.StartNew();
        var unhealthy = await WaitFor(health, HttpStatusCode.ServiceUnavailable, "/health to go unhealthy");
        output.WriteLine($"unhealthy {clock.Elapsed.TotalSeconds:F1} s after PostgreSQL stopped: {JsonSerializer.Serialize(unhealthy)}");
        Assert.Contains("journal", unhealthy.Failing);
        Assert.DoesNotContain("liveness", unhealthy.Failing);

        postgres.Start();
        await WaitFor(health, HttpStatusCode.OK, "/health to be healthy again after PostgreSQL started");
        Assert.Contains("Health check journal is healthy again", _node.Output);
    }

    private string WriteConfig(string connectionString, int akkaPort, int httpPort)
    {
        string seedConf = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(RkifProcess.LauncherDll)!, "hocon", "cluster-seed.conf"));
        string path = Path.Combine(_root, "node.conf");
        // HOCON strings are JSON strings: the connection string is written as the user would quote it.
        File.WriteAllText(path, $$"""
            include {{JsonSerializer.Serialize(seedConf)}}
            rkif {
              data-root = {{JsonSerializer.Serialize(Path.Combine(_root, "data"))}}
              model = {{JsonSerializer.Serialize(Path.Combine(TinyRun.SharedRoot(), "models", "stories260k"))}}
              threads = 1
              journal { provider = "postgresql", connection-string = {{JsonSerializer.Serialize(connectionString)}} }
              cluster { port = {{akkaPort}}, seed-nodes = ["127.0.0.1:{{akkaPort}}"], roles = ["coordinator"], health.probe-timeout = 2s }
              gateway.http.port = {{httpPort}}
            }
            """);
        return path;
    }

    /// <summary>Polls until /health answers <paramref name="expected"/>; every single answer must come within the client's 20 s.</summary>
    private async Task<NodeHealthReport> WaitFor(Uri health, HttpStatusCode expected, string what)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Patience && !_node!.HasExited)
        {
            try
            {
                using var response = await _http.GetAsync(health);
                if (response.StatusCode == expected)
                    return JsonSerializer.Deserialize<NodeHealthReport>(await response.Content.ReadAsStringAsync(), TaskGatewayHttp.JsonOptions)!;
            }
            catch (HttpRequestException) { /* not listening yet */ }
            await Task.Delay(500);
        }
        throw new TimeoutException($"gave up after {clock.Elapsed.TotalSeconds:F0} s waiting for {what}:\n{_node!.Output}");
    }

    public void Dispose()
    {
        _node?.Dispose();
        _http.Dispose();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using RecurrentKif.Actors.Hosting;
using RecurrentKif.Actors.Hosting.Health;

namespace RecurrentKif.Actors.Tests.Hosting;

/// <summary>
/// The journal check really connects: a SQLite journal answers, a PostgreSQL port that refuses is unhealthy at once,
/// and one that accepts but never speaks is unhealthy after the probe timeout, not never. (With a real PostgreSQL
/// stopped and started again: tests/RecurrentKif.Integration.Tests/NodeHealthTests.cs.)
/// </summary>
public sealed class JournalReachableCheckTests : IDisposable
{
    private static readonly NodeHealthOptions Options = new() { ProbeTimeout = TimeSpan.FromSeconds(1) };
    private readonly string _folder = Directory.CreateTempSubdirectory("rkif-journal-check").FullName;

    private static Task<HealthCheckResult> Probe(SqlJournalSetup journal) =>
        new JournalReachableCheck(journal, Options).CheckHealthAsync(new HealthCheckContext());

    private static SqlJournalSetup PostgreSql(int port) => new(
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = port, Username = "rkif", Password = "x\"y\\z", Database = "rkif" }.ConnectionString,
        SqlJournalSetup.PostgreSqlProvider);

    [Fact]
    public async Task A_SQLite_journal_answers()
    {
        var journal = new SqlJournalSetup($"Data Source={Path.Combine(_folder, "journal.db")}", SqlJournalSetup.SqliteProvider);
        var result = await Probe(journal);
        Assert.Equal(HealthStatus.Healthy, result.Status);
    }

    [Fact]
    public async Task A_PostgreSQL_port_that_refuses_is_unhealthy()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0)) { listener.Start(); port = ((IPEndPoint)listener.LocalEndpoint).Port; }
        var result = await Probe(PostgreSql(port));
        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Equal("the PostgreSQL journal is unreachable", result.Description);
        Assert.NotNull(result.Exception);
    }

    [Fact]
    public async Task A_PostgreSQL_server_that_never_answers_is_unhealthy_within_the_probe_timeout()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start(); // accepts connections (the kernel's backlog) and never says a word
        var clock = Stopwatch.StartNew();
        var result = await Probe(PostgreSql(((IPEndPoint)silent.LocalEndpoint).Port));
        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the probe took {clock.Elapsed}");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}

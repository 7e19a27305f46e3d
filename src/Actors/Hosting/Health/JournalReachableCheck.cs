using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace RecurrentKif.Actors.Hosting.Health;

/// <summary>
/// The journal's database answers <c>SELECT 1</c>, on a fresh connection made with the journal's own connection string
/// (so a stopped server, a wrong password or an unreachable host all show), within the probe timeout. A fresh
/// connection rather than a pooled one: a pooled connection may look open after its server went away.
/// </summary>
public sealed class JournalReachableCheck(SqlJournalSetup journal, NodeHealthOptions options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.ProbeTimeout);
        string database = journal.IsPostgreSql ? "PostgreSQL" : "SQLite";
        try
        {
            await using var connection = Connect();
            await connection.OpenAsync(deadline.Token).ConfigureAwait(false);
            await using var query = connection.CreateCommand();
            query.CommandText = "SELECT 1";
            query.CommandTimeout = Math.Max(1, (int)Math.Ceiling(options.ProbeTimeout.TotalSeconds));
            await query.ExecuteScalarAsync(deadline.Token).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"the {database} journal answers");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"the {database} journal did not answer within {options.ProbeTimeout.TotalSeconds:0.#} s");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // DbException for a refused connection or a failed login; the exception is logged, never shown on /health.
            return HealthCheckResult.Unhealthy($"the {database} journal is unreachable", e);
        }
    }

    private DbConnection Connect()
    {
        if (!journal.IsPostgreSql) return new SqliteConnection(journal.ConnectionString);
        int seconds = Math.Max(1, (int)Math.Ceiling(options.ProbeTimeout.TotalSeconds));
        var builder = new NpgsqlConnectionStringBuilder(journal.ConnectionString) { Pooling = false, Timeout = seconds, CommandTimeout = seconds };
        return new NpgsqlConnection(builder.ConnectionString);
    }
}

using Akka.Configuration;
using Akka.Persistence.Sql.Hosting;
using Microsoft.Data.Sqlite;
using RecurrentKif.Actors.Settings;

namespace RecurrentKif.Actors.Hosting;

/// <summary>
/// The run's journal and snapshot store as Akka.Persistence.Sql.Hosting options (docs/architecture.md, "The hosted
/// node"): an embedded SQLite file under the data root by default, PostgreSQL by configuration. The connection string
/// goes into the options as a value; Akka.Hosting quotes it when it renders the plugin's config, so a <c>"</c> or
/// <c>\</c> in a password reaches the database intact. <c>rkif run</c> (<see cref="ActorSystemFactory"/>) and
/// <c>rkif node</c> share this one mapping.
/// </summary>
public sealed record SqlJournalSetup(string ConnectionString, string ProviderName)
{
    public const string PostgreSqlProvider = "PostgreSQL.15";
    public const string SqliteProvider = "SQLite.MS";

    /// <summary>The serializer the run's events are bound to (<see cref="ActorSystemFactory.AkkaSettings"/>).</summary>
    public const string EventSerializer = "rkif-events";

    public bool IsPostgreSql => ProviderName == PostgreSqlProvider;

    public static SqlJournalSetup For(RunConfiguration run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.Journal.Provider == "postgresql"
            ? new SqlJournalSetup(run.Journal.ConnectionString, PostgreSqlProvider)
            : new SqlJournalSetup(new SqliteConnectionStringBuilder { DataSource = SqliteFile(run) }.ConnectionString, SqliteProvider);
    }

    public static string SqliteFile(RunConfiguration run) => Path.Combine(run.DataRoot, "journal.db");

    public SqlJournalOptions JournalOptions() => new(isDefaultPlugin: true)
    {
        ConnectionString = ConnectionString,
        ProviderName = ProviderName,
        AutoInitialize = true,
    };

    public SqlSnapshotOptions SnapshotOptions() => new(isDefaultPlugin: true)
    {
        ConnectionString = ConnectionString,
        ProviderName = ProviderName,
        AutoInitialize = true,
    };

    /// <summary>Both plugins' config, for an ActorSystem built without the host (<c>rkif run</c>).</summary>
    public Config ToConfig() => JournalOptions().ToConfig().WithFallback(SnapshotOptions().ToConfig());

    // A connection string may hold a password: never print it.
    public override string ToString() => $"SqlJournalSetup {{ ProviderName = {ProviderName} }}";
}

using Npgsql;
using RecurrentKif.Actors.Hosting;

namespace RecurrentKif.Actors.Tests.Hosting;

/// <summary>
/// Issue 15 item 7 / issue 16: a connection string reaches the journal plugin's config exactly as the user wrote it,
/// from the HOCON file through <see cref="NodeOptions"/> and Akka.Persistence.Sql.Hosting's options. Earlier versions
/// pasted it into HOCON text, and a <c>"</c> in a password broke start-up.
/// </summary>
public sealed class SqlJournalSetupTests : IDisposable
{
    /// <summary>Quotes of both kinds, a backslash, a semicolon and HOCON's own syntax.</summary>
    private const string Password = "pa\"ss\\wo'rd;x ${y} #z";

    private readonly string _folder = Directory.CreateTempSubdirectory("rkif-journal-setup").FullName;

    private static string ConnectionString() =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = 5432, Username = "rkif", Password = Password, Database = "rkif" }.ConnectionString;

    [Fact]
    public void The_journal_and_snapshot_plugins_get_the_connection_string_unchanged()
    {
        string connection = ConnectionString();
        var config = new SqlJournalSetup(connection, SqlJournalSetup.PostgreSqlProvider).ToConfig();
        Assert.Equal(connection, config.GetString("akka.persistence.journal.sql.connection-string"));
        Assert.Equal(connection, config.GetString("akka.persistence.snapshot-store.sql.connection-string"));
        Assert.Equal(SqlJournalSetup.PostgreSqlProvider, config.GetString("akka.persistence.journal.sql.provider-name"));
        Assert.Equal(Password, new NpgsqlConnectionStringBuilder(config.GetString("akka.persistence.journal.sql.connection-string")).Password);
    }

    [Fact]
    public void A_password_written_in_the_users_HOCON_file_reaches_the_journal_intact()
    {
        string connection = ConnectionString();
        string file = Path.Combine(_folder, "node.conf");
        // The user writes a HOCON string: a JSON string literal is one.
        File.WriteAllText(file, $$"""
            rkif {
              data-root = {{System.Text.Json.JsonSerializer.Serialize(Path.Combine(_folder, "data"))}}
              tasks.order = "submitted"
              journal { provider = "postgresql", connection-string = {{System.Text.Json.JsonSerializer.Serialize(connection)}} }
              cluster { seed-nodes = ["127.0.0.1:25520"], roles = ["coordinator"] }
            }
            """);
        var options = NodeOptions.Load(file);
        Assert.Equal(connection, options.Run.Journal.ConnectionString);
        var config = options.Journal.ToConfig();
        Assert.Equal(Password, new NpgsqlConnectionStringBuilder(config.GetString("akka.persistence.journal.sql.connection-string")).Password);
        Assert.DoesNotContain(Password, options.Journal.ToString());
        Assert.DoesNotContain(Password, options.Run.Journal.ToString());
        // The node's other typed options, from the same file.
        Assert.Equal(["akka.tcp://rkif@127.0.0.1:25520"], options.Cluster.SeedNodes);
        Assert.Equal(TimeSpan.FromSeconds(3), options.Health.ProbeTimeout);
    }

    [Fact]
    public void The_SQLite_journal_lives_in_the_data_root_even_when_its_path_has_a_semicolon()
    {
        string file = Path.Combine(_folder, "run.conf");
        string dataRoot = Path.Combine(_folder, "odd;name \"data\"");
        File.WriteAllText(file, $$"""rkif.data-root = {{System.Text.Json.JsonSerializer.Serialize(dataRoot)}}""");
        var journal = SqlJournalSetup.For(RecurrentKif.Actors.Settings.RunConfigurationLoader.Load(file));
        Assert.Equal(SqlJournalSetup.SqliteProvider, journal.ProviderName);
        Assert.Equal(Path.Combine(dataRoot, "journal.db"),
            new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(journal.ToConfig().GetString("akka.persistence.journal.sql.connection-string")).DataSource);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}

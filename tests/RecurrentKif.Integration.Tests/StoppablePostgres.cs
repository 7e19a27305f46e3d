using System.Diagnostics;
using Npgsql;

namespace RecurrentKif.Integration.Tests;

/// <summary>
/// A private PostgreSQL of one test's own, which the test may stop and start again (the shared
/// <see cref="PostgresServer"/> must stay up for the others). Password authentication over TCP (scram-sha-256), so a
/// password that does not reach the server intact fails the login. Started from the installed PostgreSQL binaries on a
/// free loopback port; as root, the server runs as the postgres user. Removed on dispose.
/// </summary>
public sealed class StoppablePostgres : IDisposable
{
    private readonly string _bin;
    private readonly string _folder;
    private readonly bool _root = Environment.UserName == "root";

    public int Port { get; }

    /// <summary>Connection string of <c>role</c> on database <c>rkif</c>, with the password given to the constructor.</summary>
    public string ConnectionString { get; }

    public StoppablePostgres(string password)
    {
        _bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.EnumerateDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).FirstOrDefault(b => File.Exists(Path.Combine(b, "initdb")))
              ?? throw new InvalidOperationException("no initdb under /usr/lib/postgresql/*/bin")
            : throw new InvalidOperationException("this test needs the PostgreSQL server binaries (Debian: postgresql-15; .ci/run installs them)");
        _folder = Directory.CreateTempSubdirectory("rkif-pg-own").FullName;
        Port = PostgresServer.FreePort();
        if (_root) PostgresServer.Exec("chown", $"-R postgres \"{_folder}\"");
        PostgresServer.Exec(Path.Combine(_bin, "initdb"), $"-D \"{_folder}/data\" -U postgres --auth-local=trust --auth-host=scram-sha-256", _root);
        Start();
        // Over the Unix socket (trust) as the superuser: the role, with the password as a parameter, never as SQL text.
        var admin = new NpgsqlConnectionStringBuilder { Host = _folder, Port = Port, Username = "postgres", Database = "postgres" }.ConnectionString;
        using (var connection = new NpgsqlConnection(admin))
        {
            connection.Open();
            using (var role = new NpgsqlCommand("CREATE ROLE rkif LOGIN", connection)) role.ExecuteNonQuery();
            // ALTER ROLE … PASSWORD takes no bind parameter: quote it as a literal with the server's own quote_literal.
            using (var quote = new NpgsqlCommand("SELECT quote_literal(@p)", connection))
            {
                quote.Parameters.AddWithValue("p", password);
                string literal = (string)quote.ExecuteScalar()!;
                using var alter = new NpgsqlCommand($"ALTER ROLE rkif PASSWORD {literal}", connection);
                alter.ExecuteNonQuery();
            }
            using (var database = new NpgsqlCommand("CREATE DATABASE rkif OWNER rkif", connection)) database.ExecuteNonQuery();
        }
        ConnectionString = new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "rkif", Password = password, Database = "rkif" }.ConnectionString;
    }

    public void Start() => PostgresServer.Exec(Path.Combine(_bin, "pg_ctl"),
        $"-D \"{_folder}/data\" -l \"{_folder}/log\" -w -o \"-p {Port} -k {_folder} -c listen_addresses=127.0.0.1 -c fsync=off\" start", _root);

    /// <summary>Fast shutdown: clients are disconnected and the port closes.</summary>
    public void Stop() => PostgresServer.Exec(Path.Combine(_bin, "pg_ctl"), $"-D \"{_folder}/data\" -m fast -w stop", _root);

    /// <summary>The tables the journal plugin created, with their owner.</summary>
    public IReadOnlyList<(string Table, string Owner)> Tables()
    {
        var admin = new NpgsqlConnectionStringBuilder { Host = _folder, Port = Port, Username = "postgres", Database = "rkif" }.ConnectionString;
        using var connection = new NpgsqlConnection(admin);
        connection.Open();
        using var query = new NpgsqlCommand("SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename", connection);
        using var reader = query.ExecuteReader();
        var tables = new List<(string, string)>();
        while (reader.Read()) tables.Add((reader.GetString(0), reader.GetString(1)));
        return tables;
    }

    public void Dispose()
    {
        try { PostgresServer.Exec(Path.Combine(_bin, "pg_ctl"), $"-D \"{_folder}/data\" -m immediate stop", _root); }
        catch (InvalidOperationException) { /* already stopped */ }
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}

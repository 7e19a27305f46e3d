using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace RecurrentKif.Integration.Tests;

/// <summary>
/// A PostgreSQL for the cluster tests: the one RKIF_TEST_POSTGRES names (a connection string with rights to create
/// databases; .ci/run starts a private one and sets it), or else a private instance started here from the installed
/// PostgreSQL binaries on a free loopback port, stopped when the test process exits. Each test gets a fresh database.
/// </summary>
public sealed class PostgresServer
{
    private static readonly Lazy<PostgresServer> Instance = new(Start);
    private readonly string _adminConnection;

    private PostgresServer(string adminConnection) => _adminConnection = adminConnection;

    public static PostgresServer Shared => Instance.Value;

    /// <summary>A new, empty database; returns its connection string.</summary>
    public string CreateDatabase()
    {
        string name = "rkif_" + Guid.NewGuid().ToString("N")[..12];
        using (var connection = new NpgsqlConnection(_adminConnection))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            command.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(_adminConnection) { Database = name }.ConnectionString;
    }

    private static PostgresServer Start()
    {
        string? given = Environment.GetEnvironmentVariable("RKIF_TEST_POSTGRES");
        if (!string.IsNullOrWhiteSpace(given)) return new PostgresServer(given);

        string bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.EnumerateDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).FirstOrDefault(b => File.Exists(Path.Combine(b, "initdb")))
              ?? throw new InvalidOperationException("no initdb under /usr/lib/postgresql/*/bin")
            : throw new InvalidOperationException(
                "the cluster tests need PostgreSQL: set RKIF_TEST_POSTGRES to a connection string, or install PostgreSQL (Debian: postgresql-15)");
        string folder = Directory.CreateTempSubdirectory("rkif-pg").FullName;
        int port = FreePort();
        bool root = Environment.UserName == "root";
        // initdb refuses to run as root; the server then runs as the postgres user, which must own the folder.
        if (root) Exec("chown", $"-R postgres \"{folder}\"");
        Exec(Path.Combine(bin, "initdb"), $"-D \"{folder}/data\" -U postgres --auth=trust", root);
        Exec(Path.Combine(bin, "pg_ctl"), $"-D \"{folder}/data\" -l \"{folder}/log\" -w -o \"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off\" start", root);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Exec(Path.Combine(bin, "pg_ctl"), $"-D \"{folder}/data\" -m immediate stop", root); Directory.Delete(folder, recursive: true); }
            catch (Exception) { /* best effort at exit */ }
        };
        return new PostgresServer($"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres");
    }

    /// <summary>Runs a PostgreSQL tool (as the postgres user when asked) and fails with its output if it fails; StoppablePostgres uses it too.</summary>
    internal static void Exec(string file, string arguments, bool asPostgres = false)
    {
        var info = asPostgres ? new ProcessStartInfo("runuser", $"-u postgres -- {file} {arguments}") : new ProcessStartInfo(file, arguments);
        info.RedirectStandardOutput = info.RedirectStandardError = true;
        using var process = Process.Start(info)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {arguments} failed ({process.ExitCode}): {output}");
    }

    private static readonly HashSet<int> HandedOut = [];

    /// <summary>
    /// A loopback port that is free now and was never handed out before in this process: the kernel may give the same
    /// just-released port to two calls in a row, and a test that asks for six ports then binds two nodes to one
    /// (seen in CI: a learner's Akka port equal to the coordinator's HTTP port).
    /// </summary>
    public static int FreePort()
    {
        lock (HandedOut)
        {
            while (true)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                int port = ((IPEndPoint)listener.LocalEndpoint).Port;
                if (HandedOut.Add(port)) return port;
            }
        }
    }
}

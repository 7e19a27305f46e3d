using System.Data.Common;
using RecurrentKif.Actors.Hosting;
using RecurrentKif.Actors.Settings;

namespace RecurrentKif.Actors.Coordination;

/// <summary>The run's journal in words for error lines (docs/architecture.md §5): its file, or its database server without any password.</summary>
public static class JournalDescription
{
    public static string Of(RunConfiguration run)
    {
        if (run.Journal.Provider != "postgresql") return $"the SQLite journal {SqlJournalSetup.SqliteFile(run)}";
        var parts = new DbConnectionStringBuilder { ConnectionString = run.Journal.ConnectionString };
        string Part(string key) => parts.TryGetValue(key, out var value) ? value?.ToString() ?? "?" : "?";
        return $"the PostgreSQL journal (host {Part("Host")}, port {Part("Port")}, database {Part("Database")})";
    }
}

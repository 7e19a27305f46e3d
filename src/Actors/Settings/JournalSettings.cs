namespace RecurrentKif.Actors.Settings;

/// <summary>Where the RunCoordinator's events go: an embedded SQLite file by default, PostgreSQL for clusters.</summary>
public sealed record JournalSettings(string Provider, string ConnectionString)
{
    // The connection string may carry a password: the default record ToString would print it into a log line.
    public override string ToString() => $"JournalSettings {{ Provider = {Provider} }}";
}

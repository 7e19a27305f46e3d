namespace RecurrentKif.Actors.Settings;

/// <summary>Where the RunCoordinator's events go: an embedded SQLite file by default, PostgreSQL for clusters.</summary>
public sealed record JournalSettings(string Provider, string ConnectionString);

namespace RecurrentKif.Gpu.Tests;

/// <summary>
/// Locates the team's shared fixtures (../shared next to the repository): the stories260k model and the
/// long-sequence benchmark data. Tests read them where they are; nothing is copied into the repository.
/// </summary>
public static class SharedFixtures
{
    public static string Root { get; } = FindSharedRoot();

    public static string Stories260k => Path.Combine(Root, "models", "stories260k");

    public static string LongSequence => Path.Combine(Root, "data", "long-sequence");

    private static string FindSharedRoot()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable("RKIF_SHARED");
        if (!string.IsNullOrEmpty(fromEnvironment)) return fromEnvironment;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared");
            if (Directory.Exists(Path.Combine(candidate, "models", "stories260k"))) return candidate;
        }
        throw new DirectoryNotFoundException(
            "The shared fixtures (shared/models/stories260k) were not found above " + AppContext.BaseDirectory +
            "; set RKIF_SHARED to the shared folder.");
    }
}

namespace RecurrentKif.Bench;

/// <summary>
/// The parent's command line: rkif-bench [--quick] [--only a,b] [--out folder] [--device cpu|cuda|auto] [--threads N]
/// [--work folder]. --work keeps the generated models and tasks in that folder for the next run (default: a scratch
/// folder deleted at the end).
/// </summary>
public sealed record BenchOptions(bool Quick, IReadOnlySet<string> Sections, string OutFolder, string Device, int Threads, string? WorkFolder)
{
    public static readonly IReadOnlyList<string> AllSections = ["training", "pipeline", "continual", "generation", "checkpoint"];

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        string? Value(string name)
        {
            int i = args.ToList().IndexOf(name);
            if (i < 0) return null;
            return i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{name} needs a value");
        }
        foreach (string arg in args.Where(a => a.StartsWith("--", StringComparison.Ordinal)))
            if (arg is not ("--quick" or "--only" or "--out" or "--device" or "--threads" or "--work"))
                throw new ArgumentException($"unknown option {arg}; rkif-bench [--quick] [--only {string.Join(',', AllSections)}] [--out folder] [--device cpu|cuda|auto] [--threads N] [--work folder]");
        var sections = Value("--only")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet() ?? AllSections.ToHashSet();
        if (sections.FirstOrDefault(s => !AllSections.Contains(s)) is { } unknown)
            throw new ArgumentException($"unknown section '{unknown}' in --only; sections are {string.Join(", ", AllSections)}");
        string threads = Value("--threads") ?? "0";
        return new BenchOptions(args.Contains("--quick"), sections, Value("--out") ?? DefaultOutFolder(), Value("--device") ?? "cpu",
            int.TryParse(threads, out int t) && t >= 0 ? t : throw new ArgumentException($"--threads {threads} is not a thread count"),
            Value("--work") is { } work ? Path.GetFullPath(work) : null);
    }

    /// <summary>bench/results of the repository this runs in (found from the working directory), else ./bench-results.</summary>
    private static string DefaultOutFolder()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "RecurrentKif.sln"))) return Path.Combine(dir.FullName, "bench", "results");
        return Path.GetFullPath("bench-results");
    }
}

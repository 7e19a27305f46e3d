namespace RecurrentKif.Gpu.Data;

/// <summary>
/// Where a task's split lives in the long-sequence layout, <c>&lt;root&gt;/&lt;split&gt;/&lt;task&gt;.json</c> (a JSON
/// array) or <c>.jsonl</c> (JSON Lines); <see cref="TaskFileReader"/> reads either.
/// </summary>
public static class TaskFilePaths
{
    public static IReadOnlyList<string> Extensions { get; } = [".json", ".jsonl"];

    /// <summary>The split's file, or null when there is none; a task with both a .json and a .jsonl file is refused.</summary>
    public static string? Find(string root, string split, string task)
    {
        var existing = Candidates(root, split, task).Where(File.Exists).ToList();
        if (existing.Count > 1)
            throw new TaskDataException(existing[0], null, $"the {split} split of task '{task}' exists twice ({string.Join(" and ", existing)}); keep one.");
        return existing.SingleOrDefault();
    }

    /// <summary>The names a split's file may have, for messages ("expected …").</summary>
    public static string Expected(string root, string split, string task) => string.Join(" or ", Candidates(root, split, task));

    /// <summary>Every task file directly in <paramref name="folder"/>, in ordinal name order.</summary>
    public static IReadOnlyList<string> InFolder(string folder) =>
        Extensions.SelectMany(e => Directory.GetFiles(folder, "*" + e)).Where(IsTaskFile).Distinct().Order(StringComparer.Ordinal).ToList();

    public static bool IsTaskFile(string path) => Extensions.Contains(Path.GetExtension(path), StringComparer.Ordinal);

    /// <summary>Every name the split's file may have, .json first.</summary>
    public static IReadOnlyList<string> Candidates(string root, string split, string task) =>
        Extensions.Select(e => Path.Combine(root, split, task + e)).ToList();
}

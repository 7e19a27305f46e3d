using System.Globalization;
using System.Text.RegularExpressions;

namespace RecurrentKif.Gpu.Checkpoints;

/// <summary>
/// The names of a run's checkpoint files, in one place (docs/architecture.md §6): the initial adapter, each task's
/// step commits (a learner's <c>.ckpt</c>, a learner group's <c>.group.json</c> manifest) and each task's final adapter.
/// Step numbers are zero-padded, so ordinal name order is step order.
/// </summary>
public static partial class CheckpointNames
{
    public static string Initial(string folder) => Path.Combine(folder, "initial.adapter");

    public static string StepCommit(string folder, int task, int step) => Path.Combine(folder, $"task{task:D2}-step{step:D6}.ckpt");

    public static string GroupCommit(string folder, int task, int step) => Path.Combine(folder, $"task{task:D2}-step{step:D6}.group.json");

    public static string TaskEnd(string folder, int task) => Path.Combine(folder, $"task{task:D2}-final.adapter");

    [GeneratedRegex(@"^task(?<task>\d{2,})-step(?<step>\d{6,})(?<kind>\.ckpt|\.group\.json)\z", RegexOptions.CultureInvariant)]
    private static partial Regex Commit();

    /// <summary>The task, step and kind (".ckpt" or ".group.json") of a step commit's file name; null for any other file.</summary>
    public static (int Task, int Step, string Kind)? ParseCommit(string path)
    {
        var match = Commit().Match(Path.GetFileName(path));
        if (!match.Success) return null;
        return (int.Parse(match.Groups["task"].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups["step"].Value, CultureInfo.InvariantCulture), match.Groups["kind"].Value);
    }

    /// <summary>Every step commit of <paramref name="task"/> of this kind in <paramref name="folder"/>, oldest first.</summary>
    public static IReadOnlyList<string> Commits(string folder, int task, string kind) =>
        Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, $"task{task:D2}-step*{kind}").Where(f => ParseCommit(f) is { } c && c.Task == task && c.Kind == kind)
                .Order(StringComparer.Ordinal).ToList()
            : [];
}

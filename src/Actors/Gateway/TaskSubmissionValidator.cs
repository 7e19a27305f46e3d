using System.Text.RegularExpressions;
using RecurrentKif.Gpu.Data;
using RecurrentKif.Messages;

namespace RecurrentKif.Actors.Gateway;

/// <summary>
/// Decides whether a submission may reach the coordinator: the token, the task name, where its folder really is, and
/// every split file's size and schema. Nothing is persisted before this says yes. Checks run cheapest first, and the
/// token before anything else, so an unauthenticated caller learns nothing about the data root.
/// </summary>
public sealed partial class TaskSubmissionValidator(GatewaySettings settings)
{
    /// <summary>Splits a task must have; "test" is optional (the dev split stands in, as in BenchmarkTaskLoader).</summary>
    private static readonly string[] RequiredSplits = ["train", "dev"];
    private const string OptionalSplit = "test";
    private const int MaxSourceLength = 1024;

    private readonly GatewayToken token = new(settings.Token);

    // \z, not $: $ would also match before a trailing newline.
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex TaskName();

    public ValidatedSubmission Validate(SubmitTask submission)
    {
        ArgumentNullException.ThrowIfNull(submission);
        string name = submission.Name ?? "";
        if (!token.IsConfigured)
            return Refuse(name, SubmissionRefusal.Unauthenticated, "the gateway has no token configured (rkif.gateway.token), so it accepts no submissions");
        if (!token.Matches(submission.Token))
            return Refuse(name, SubmissionRefusal.Unauthenticated, "missing or wrong token");
        if (!TaskName().IsMatch(name))
            return Invalid(name, $"task name '{Printable(name)}' is not allowed: use 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit");
        try
        {
            return ValidateSource(name, submission.Source ?? "");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Invalid(name, $"task '{name}': cannot read source '{Printable(submission.Source ?? "")}': {e.Message}");
        }
    }

    private ValidatedSubmission ValidateSource(string name, string source)
    {
        if (source.Length == 0) return Invalid(name, $"task '{name}': source is empty; give a folder relative to the data root");
        if (source.Length > MaxSourceLength) return Invalid(name, $"task '{name}': source is {source.Length} characters long, over {MaxSourceLength}");
        if (source.Any(char.IsControl)) return Invalid(name, $"task '{name}': source '{Printable(source)}' contains control characters");

        string root = PathConfinement.Resolve(settings.DataRoot, "/");
        if (!Directory.Exists(root)) return Invalid(name, $"task '{name}': the data root '{root}' does not exist on this node");
        string folder = PathConfinement.Resolve(source, root);
        if (!PathConfinement.IsInside(folder, root))
            return Invalid(name, $"task '{name}': source '{source}' resolves to '{folder}', outside the data root '{root}'");
        if (!Directory.Exists(folder)) return Invalid(name, $"task '{name}': source folder '{folder}' does not exist");

        foreach (string split in RequiredSplits)
        {
            string? problem = CheckSplit(name, folder, root, split, required: true);
            if (problem is not null) return Invalid(name, problem);
        }
        string? testProblem = CheckSplit(name, folder, root, OptionalSplit, required: false);
        if (testProblem is not null) return Invalid(name, testProblem);
        return ValidatedSubmission.Accept(new QueueTask(name, folder));
    }

    /// <summary>Null when the split is fine (or optional and absent), else what is wrong and where.</summary>
    private string? CheckSplit(string name, string folder, string root, string split, bool required)
    {
        // A split may be a JSON array (.json) or JSON Lines (.jsonl), not both (TaskFilePaths).
        var candidates = TaskFilePaths.Candidates(folder, split, name);
        var present = candidates.Where(File.Exists).ToList();
        if (present.Count > 1) return $"task '{name}': the {split} split exists twice ({string.Join(" and ", present)}); keep one";
        string written = present.SingleOrDefault() ?? candidates[0];
        string path = PathConfinement.Resolve(written, folder);
        if (!PathConfinement.IsInside(path, root))
            return $"task '{name}': {written} resolves to '{path}', outside the data root '{root}'";
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            if (!required) return null;
            return Directory.Exists(path)
                ? $"task '{name}': {written} is a folder, not a task file"
                : $"task '{name}': the {split} split is missing (expected {string.Join(" or ", candidates)})";
        }
        if (file.Length > settings.MaxTaskFileBytes)
            return $"task '{name}': {written} is {file.Length} bytes, over the limit of {settings.MaxTaskFileBytes} (rkif.gateway.max-task-file-bytes)";
        IReadOnlyList<TaskExample> records;
        try { records = TaskFileReader.Read(path); }
        catch (TaskDataException e) { return $"task '{name}': {e.Message}"; }
        if (records.Count > settings.MaxRecordsPerSplit)
            return $"task '{name}': {written} holds {records.Count} records, over the limit of {settings.MaxRecordsPerSplit} (rkif.gateway.max-records-per-split)";
        return records.Count >= 1 ? null : $"task '{name}': {written} holds no records";
    }

    private static ValidatedSubmission Invalid(string name, string error) => Refuse(name, SubmissionRefusal.Invalid, error);

    private static ValidatedSubmission Refuse(string name, SubmissionRefusal why, string error) => ValidatedSubmission.Refuse(name, why, error);

    /// <summary>Caller text echoed in an error or a log line, with control characters escaped so it cannot forge log lines.</summary>
    internal static string Printable(string text)
    {
        string shown = text.Length > 80 ? text[..80] + "…" : text;
        return string.Concat(shown.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
    }
}

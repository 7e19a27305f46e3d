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

    /// <summary>
    /// The token check alone, answered at once: the gateway asks it before a caller may wait for a validation slot, so
    /// unauthenticated requests cannot queue up behind (or in front of) real ones. Null when the token is right.
    /// </summary>
    public ValidatedSubmission? RefuseUnauthenticated(SubmitTask submission)
    {
        ArgumentNullException.ThrowIfNull(submission);
        string name = submission.Name ?? "";
        if (!token.IsConfigured)
            return Refuse(name, SubmissionRefusal.Unauthenticated, "the gateway has no token configured (rkif.gateway.token), so it accepts no submissions");
        return token.Matches(submission.Token) ? null : Refuse(name, SubmissionRefusal.Unauthenticated, "missing or wrong token");
    }

    public ValidatedSubmission Validate(SubmitTask submission)
    {
        if (RefuseUnauthenticated(submission) is { } refused) return refused;
        string name = submission.Name ?? "";
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
        if (!Path.Exists(path))
        {
            if (!required) return null;
            return $"task '{name}': the {split} split is missing (expected {string.Join(" or ", candidates)})";
        }
        // One open handle, read non-blocking and only if it is a plain file, never through a link, cut off at the
        // byte limit while reading and at the record limit while parsing: a FIFO, a device or a file swapped after
        // the checks above cannot stall this slot or slip past a limit.
        var limits = new TaskFileLimits(settings.MaxTaskFileBytes, settings.MaxRecordsPerSplit, NoFollow: true);
        IReadOnlyList<TaskExample> records;
        // The name as found in the checked, link-free folder (not its resolution): a task file that is itself a link is
        // refused, as the coordinator refuses it when it takes its copy (Pipeline/SubmittedTaskStore).
        try { records = TaskFileReader.Read(Path.GetFullPath(written), limits); }
        catch (TaskDataException e)
        {
            return $"task '{name}': {e.Message} (limits: rkif.gateway.max-task-file-bytes = {settings.MaxTaskFileBytes}, rkif.gateway.max-records-per-split = {settings.MaxRecordsPerSplit})";
        }
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

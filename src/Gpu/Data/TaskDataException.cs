namespace RecurrentKif.Gpu.Data;

/// <summary>
/// A task data file is missing or malformed. The message always names the file and, when the fault lies
/// in one record, its 0-based index (and in a JSON Lines file its 1-based line), so a bad file can be fixed
/// without a debugger.
/// </summary>
public sealed class TaskDataException : Exception
{
    public TaskDataException(string filePath, int? recordIndex, string problem, Exception? inner = null)
        : this(filePath, recordIndex, lineNumber: null, problem, inner)
    {
    }

    private TaskDataException(string filePath, int? recordIndex, int? lineNumber, string problem, Exception? inner)
        : base(Describe(filePath, recordIndex, lineNumber, problem), inner)
    {
        FilePath = filePath;
        RecordIndex = recordIndex;
        LineNumber = lineNumber;
    }

    /// <summary>A fault on one line of a JSON Lines file; <paramref name="recordIndex"/> is null when the line is not a record.</summary>
    public static TaskDataException AtLine(string filePath, int lineNumber, int? recordIndex, string problem, Exception? inner = null) =>
        new(filePath, recordIndex, lineNumber, problem, inner);

    public string FilePath { get; }

    /// <summary>0-based index of the offending record among the file's records; null for file-level faults.</summary>
    public int? RecordIndex { get; }

    /// <summary>1-based line of the offending record in a JSON Lines file; null otherwise.</summary>
    public int? LineNumber { get; }

    private static string Describe(string filePath, int? recordIndex, int? lineNumber, string problem) => (recordIndex, lineNumber) switch
    {
        (int index, int line) => $"Task data file '{filePath}', line {line} (record {index}): {problem}",
        (null, int line) => $"Task data file '{filePath}', line {line}: {problem}",
        (int index, null) => $"Task data file '{filePath}', record {index}: {problem}",
        _ => $"Task data file '{filePath}': {problem}",
    };
}

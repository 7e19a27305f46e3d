namespace RecurrentKif.Gpu.Data;

/// <summary>
/// A task data file is missing or malformed. The message always names the file and, when the fault lies
/// in one record, its 0-based index, so a bad file can be fixed without a debugger.
/// </summary>
public sealed class TaskDataException : Exception
{
    public TaskDataException(string filePath, int? recordIndex, string problem, Exception? inner = null)
        : base(Describe(filePath, recordIndex, problem), inner)
    {
        FilePath = filePath;
        RecordIndex = recordIndex;
    }

    public string FilePath { get; }

    /// <summary>0-based index of the offending record in the top-level array; null for file-level faults.</summary>
    public int? RecordIndex { get; }

    private static string Describe(string filePath, int? recordIndex, string problem) =>
        recordIndex is int index
            ? $"Task data file '{filePath}', record {index}: {problem}"
            : $"Task data file '{filePath}': {problem}";
}

using System.Text.Json;

namespace RecurrentKif.Gpu.Data;

/// <summary>
/// Reads the long-sequence task files: a JSON array of objects with string fields <c>id</c> (optional),
/// <c>instruction</c>, <c>input</c> and <c>output</c>, or the same objects as JSON Lines, one per line
/// (<see cref="TaskJsonLines"/>). A <c>.jsonl</c> file is JSON Lines; any other file is a JSON array when its first
/// non-blank character is '[' and JSON Lines otherwise. Anything else is rejected with a <see cref="TaskDataException"/> rather than silently
/// producing odd training data.
/// </summary>
public static class TaskFileReader
{
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    public static IReadOnlyList<TaskExample> Read(string path) => Parse(path, ReadBytes(path, TaskFileLimits.None), TaskFileLimits.None);

    /// <summary>
    /// Reads a file another party supplied: within the byte limit (checked while reading), a plain file only, and with
    /// <see cref="TaskFileLimits.NoFollow"/> never through a symbolic link; the record limit holds while parsing.
    /// </summary>
    public static IReadOnlyList<TaskExample> Read(string path, TaskFileLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return Parse(path, ReadBytes(path, limits), limits);
    }

    /// <summary>The file's bytes, read once through one handle (see <see cref="RegularFile"/>).</summary>
    public static byte[] ReadBytes(string path, TaskFileLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        try
        {
            return RegularFile.ReadAllBytes(path, limits.MaxBytes, limits.NoFollow);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new TaskDataException(path, null, "the file does not exist.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TaskDataException(path, null, "the file cannot be read: " + e.Message, e);
        }
    }

    /// <summary>Parses bytes already read (and, for a stored copy, already hashed): what is checked is what is used.</summary>
    public static IReadOnlyList<TaskExample> Parse(string path, byte[] bytes, TaskFileLimits limits)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(limits);
        ReadOnlyMemory<byte> json = bytes.AsSpan().StartsWith(Utf8Bom) ? bytes.AsMemory(Utf8Bom.Length) : bytes;
        var content = json.Span.TrimStart(" \t\r\n"u8);
        if (content.IsEmpty) throw new TaskDataException(path, null, "the file is empty.");
        bool isArray = content[0] == (byte)'[' && !path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase);
        return isArray ? ReadArray(path, json, limits.MaxRecords) : TaskJsonLines.Read(path, json, limits.MaxRecords);
    }

    private static IReadOnlyList<TaskExample> ReadArray(string path, ReadOnlyMemory<byte> json, int maxRecords)
    {
        using JsonDocument document = Parse(path, json);
        JsonElement root = document.RootElement;
        int count = root.GetArrayLength();
        if (count == 0) throw new TaskDataException(path, null, "the array holds no records.");
        // Before any record is converted: the expensive part is bounded by the limit, not by what the file holds.
        if (count > maxRecords) throw new TaskDataException(path, null, $"the file holds {count} records, over the limit of {maxRecords}.");

        string stem = Path.GetFileNameWithoutExtension(path);
        var examples = new TaskExample[count];
        int index = 0;
        foreach (JsonElement record in root.EnumerateArray())
        {
            examples[index] = TaskRecordReader.Read(record, new TaskRecordPlace(path, index, Line: null), stem);
            index++;
        }
        return examples;
    }

    private static JsonDocument Parse(string path, ReadOnlyMemory<byte> json)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            // LineNumber and BytePositionInLine are 0-based in System.Text.Json; people count from 1.
            string where = e.LineNumber is long line
                ? $" at line {line + 1}, byte {(e.BytePositionInLine ?? 0) + 1} of the line"
                : "";
            throw new TaskDataException(path, null, $"invalid JSON{where}: {e.Message}", e);
        }
    }
}

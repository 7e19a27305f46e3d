using System.Text.Json;

namespace RecurrentKif.Gpu.Data;

/// <summary>
/// Reads the long-sequence task files: a JSON array of objects with string fields <c>id</c> (optional),
/// <c>instruction</c>, <c>input</c> and <c>output</c>. Anything else is rejected with a
/// <see cref="TaskDataException"/> rather than silently producing odd training data.
/// </summary>
public static class TaskFileReader
{
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    public static IReadOnlyList<TaskExample> Read(string path)
    {
        byte[] bytes = ReadBytes(path);
        ReadOnlyMemory<byte> json = bytes.AsSpan().StartsWith(Utf8Bom) ? bytes.AsMemory(Utf8Bom.Length) : bytes;
        if (json.Span.Trim(" \t\r\n"u8).IsEmpty) throw new TaskDataException(path, null, "the file is empty.");

        using JsonDocument document = Parse(path, json);
        JsonElement root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Array)
            throw new TaskDataException(path, null, $"the top level must be a JSON array of records, found {root.ValueKind}.");

        int count = root.GetArrayLength();
        if (count == 0) throw new TaskDataException(path, null, "the array holds no records.");

        // Ids are synthesised from the file stem, as the real files do ("yelp_0"), when a record has none.
        string stem = Path.GetFileNameWithoutExtension(path);
        var examples = new TaskExample[count];
        int index = 0;
        foreach (JsonElement record in root.EnumerateArray())
        {
            examples[index] = ReadRecord(path, index, stem, record);
            index++;
        }
        return examples;
    }

    private static byte[] ReadBytes(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
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

    private static TaskExample ReadRecord(string path, int index, string stem, JsonElement record)
    {
        if (record.ValueKind != JsonValueKind.Object)
            throw new TaskDataException(path, index, $"the record must be a JSON object, found {record.ValueKind}.");

        string id = ReadOptionalId(path, index, record) ?? $"{stem}_{index}";
        string instruction = ReadRequiredString(path, index, record, "instruction");
        string input = ReadRequiredString(path, index, record, "input");
        string output = ReadRequiredString(path, index, record, "output");
        // An empty label can never be matched by a prediction and would train the model to stop at once.
        if (string.IsNullOrWhiteSpace(output))
            throw new TaskDataException(path, index, "field 'output' (the label) is empty.");
        return new TaskExample(id, instruction, input, output);
    }

    private static string? ReadOptionalId(string path, int index, JsonElement record)
    {
        if (!record.TryGetProperty("id", out JsonElement id) || id.ValueKind == JsonValueKind.Null) return null;
        if (id.ValueKind != JsonValueKind.String)
            throw new TaskDataException(path, index, $"field 'id' must be a string, found {id.ValueKind}.");
        return id.GetString();
    }

    private static string ReadRequiredString(string path, int index, JsonElement record, string name)
    {
        if (!record.TryGetProperty(name, out JsonElement value))
            throw new TaskDataException(path, index, $"field '{name}' is missing.");
        if (value.ValueKind != JsonValueKind.String)
            throw new TaskDataException(path, index, $"field '{name}' must be a string, found {value.ValueKind}.");
        return value.GetString()!;
    }
}

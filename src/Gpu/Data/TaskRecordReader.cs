using System.Text.Json;

namespace RecurrentKif.Gpu.Data;

/// <summary>Where a record sits in its file: its 0-based index, and its 1-based line in a JSON Lines file.</summary>
public readonly record struct TaskRecordPlace(string Path, int Index, int? Line)
{
    public TaskDataException Fault(string problem) => Line is int line
        ? TaskDataException.AtLine(Path, line, Index, problem)
        : new TaskDataException(Path, Index, problem);
}

/// <summary>
/// One task record, a JSON object with string fields <c>id</c> (optional), <c>instruction</c>, <c>input</c> and
/// <c>output</c>, whether it came from a JSON array or a JSON Lines file. Anything else is refused.
/// </summary>
public static class TaskRecordReader
{
    /// <param name="stem">The file name without extension: ids are synthesised from it, as the real files do ("yelp_0").</param>
    public static TaskExample Read(JsonElement record, TaskRecordPlace place, string stem)
    {
        if (record.ValueKind != JsonValueKind.Object)
            throw place.Fault($"the record must be a JSON object, found {record.ValueKind}.");

        string id = ReadOptionalId(record, place) ?? $"{stem}_{place.Index}";
        string instruction = ReadRequiredString(record, place, "instruction");
        string input = ReadRequiredString(record, place, "input");
        string output = ReadRequiredString(record, place, "output");
        // An empty label can never be matched by a prediction and would train the model to stop at once.
        if (string.IsNullOrWhiteSpace(output))
            throw place.Fault("field 'output' (the label) is empty.");
        return new TaskExample(id, instruction, input, output);
    }

    private static string? ReadOptionalId(JsonElement record, TaskRecordPlace place)
    {
        if (!record.TryGetProperty("id", out JsonElement id) || id.ValueKind == JsonValueKind.Null) return null;
        if (id.ValueKind != JsonValueKind.String)
            throw place.Fault($"field 'id' must be a string, found {id.ValueKind}.");
        return id.GetString();
    }

    private static string ReadRequiredString(JsonElement record, TaskRecordPlace place, string name)
    {
        if (!record.TryGetProperty(name, out JsonElement value))
            throw place.Fault($"field '{name}' is missing.");
        if (value.ValueKind != JsonValueKind.String)
            throw place.Fault($"field '{name}' must be a string, found {value.ValueKind}.");
        return value.GetString()!;
    }
}

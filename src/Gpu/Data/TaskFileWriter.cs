using System.Text.Json;

namespace RecurrentKif.Gpu.Data;

/// <summary>Writes records in the long-sequence task-file format that <see cref="TaskFileReader"/> reads.</summary>
public static class TaskFileWriter
{
    public static void Write(string path, IReadOnlyList<TaskExample> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);

        using FileStream stream = File.Create(path);
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        writer.WriteStartArray();
        foreach (TaskExample example in examples)
        {
            // Field order as in the real files, so the two look alike side by side.
            writer.WriteStartObject();
            writer.WriteString("id", example.Id);
            writer.WriteString("instruction", example.Instruction);
            writer.WriteString("input", example.Input);
            writer.WriteString("output", example.Output);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }
}

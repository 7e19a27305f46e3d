using System.Text.Json;
using System.Text.RegularExpressions;

namespace RecurrentKif.Gpu.Data;

/// <summary>
/// Task records as JSON Lines (the other usual Alpaca layout): one JSON object per line, blank lines skipped. A line
/// that is not valid JSON or not a valid record is refused with the file and its 1-based line number.
/// </summary>
public static class TaskJsonLines
{
    public static IReadOnlyList<TaskExample> Read(string path, ReadOnlyMemory<byte> content, int maxRecords = int.MaxValue)
    {
        string stem = Path.GetFileNameWithoutExtension(path);
        var examples = new List<TaskExample>();
        int lineNumber = 0;
        var rest = content;
        while (!rest.IsEmpty)
        {
            lineNumber++;
            int end = rest.Span.IndexOf((byte)'\n');
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? ReadOnlyMemory<byte>.Empty : rest[(end + 1)..];
            if (line.Span.Trim(" \t\r"u8).IsEmpty) continue;
            // Stop at the first record over the limit instead of parsing the rest of a huge file.
            if (examples.Count == maxRecords)
                throw TaskDataException.AtLine(path, lineNumber, examples.Count, $"the file holds more than {maxRecords} records, over the limit.");
            using JsonDocument document = Parse(path, lineNumber, line);
            examples.Add(TaskRecordReader.Read(document.RootElement, new TaskRecordPlace(path, examples.Count, lineNumber), stem));
        }
        if (examples.Count == 0) throw new TaskDataException(path, null, "the file holds no records.");
        return examples;
    }

    // The parser's own "LineNumber: 0 | BytePositionInLine: n." counts within the one line it was given, which reads as
    // a contradiction next to the file's line number; the byte is already in the message.
    private static string WithoutParserPosition(string message) =>
        Regex.Replace(message, @"\s*LineNumber: \d+ \| BytePositionInLine: \d+\.?\s*$", "", RegexOptions.None, TimeSpan.FromSeconds(1));

    private static JsonDocument Parse(string path, int lineNumber, ReadOnlyMemory<byte> line)
    {
        try
        {
            return JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            // Say how the file was read, in case it was meant as one JSON value spread over several lines.
            throw TaskDataException.AtLine(path, lineNumber, null,
                $"invalid JSON at byte {(e.BytePositionInLine ?? 0) + 1} of the line (read as JSON Lines, one record per line: " +
                $"the file is .jsonl or does not start with '['): {WithoutParserPosition(e.Message)}", e);
        }
    }
}

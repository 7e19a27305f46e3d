using System.Text;
using System.Text.Json;

namespace RecurrentKif.Gpu.TrainingLogs;

/// <summary>
/// Reads trainer_log.jsonl (docs/observability.md §1): its complete lines with the task and step each belongs to. A
/// last line without its newline was cut by a crash mid-write and is not returned; nor is a line that is not JSON.
/// </summary>
public static class TrainerLogFile
{
    /// <summary>One complete line: its text (without the newline), and the parsed object.</summary>
    public sealed record Line(string Text, JsonElement Json)
    {
        public string Event => Json.GetProperty("event").GetString()!;
        public int Task => Json.GetProperty("task").GetInt32();
        public int Step => Json.GetProperty("step").GetInt32();
        public int TotalSteps => Json.TryGetProperty("total_steps", out var total) ? total.GetInt32() : 0;
    }

    public static IReadOnlyList<Line> Read(string path)
    {
        if (!File.Exists(path)) return [];
        string text = File.ReadAllText(path, Encoding.UTF8);
        var lines = new List<Line>();
        int start = 0;
        for (int end = text.IndexOf('\n'); end >= 0; start = end + 1, end = text.IndexOf('\n', start))
        {
            string line = text[start..end];
            try
            {
                using var document = JsonDocument.Parse(line);
                var json = document.RootElement.Clone();
                if (json.ValueKind == JsonValueKind.Object && json.TryGetProperty("event", out _) && json.TryGetProperty("task", out _) && json.TryGetProperty("step", out _))
                    lines.Add(new Line(line, json));
            }
            catch (JsonException) { }   // not one of ours (a torn write followed by a newline cannot happen, but be lenient)
        }
        return lines;
    }

    /// <summary>Only the step lines, in file order.</summary>
    public static IReadOnlyList<Line> Steps(string path) => Read(path).Where(l => l.Event == "step").ToList();
}

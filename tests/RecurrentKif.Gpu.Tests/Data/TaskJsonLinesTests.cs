using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Data;

namespace RecurrentKif.Gpu.Tests.Data;

/// <summary>JSON Lines task files: read wherever a JSON array is, with the line number of a bad line.</summary>
public sealed class TaskJsonLinesTests
{
    private static readonly TaskExample[] Examples =
    [
        new("t_0", "Is it even? Option: yes, no.\n", "Number: 4\nAnswer:", "yes"),
        new("t_1", "Is it even? Option: yes, no.\n", "Number: 7 \"quoted\" é\nAnswer:", "no"),
        new("t_2", "Is it even? Option: yes, no.\n", "", "yes"),
    ];

    private static string Line(TaskExample e) =>
        System.Text.Json.JsonSerializer.Serialize(new { id = e.Id, instruction = e.Instruction, input = e.Input, output = e.Output });

    [Fact]
    public void JsonLinesReadAsTheSameRecordsAsTheJsonArray()
    {
        using var dir = new TempDirectory();
        string array = Path.Combine(dir.Path, "even.json");
        TaskFileWriter.Write(array, Examples);
        // CRLF endings, a blank line, no newline at the end: all usual in files written by other tools.
        string lines = dir.WriteFile("even.jsonl", string.Join("\r\n", Examples.Select(Line).Take(2)) + "\r\n\r\n" + Line(Examples[2]));

        Assert.Equal(TaskFileReader.Read(array), TaskFileReader.Read(lines));
    }

    [Fact]
    public void IdsAreSynthesisedFromTheStemAndTheRecordIndexNotTheLine()
    {
        using var dir = new TempDirectory();
        string path = dir.WriteFile("my-task.jsonl",
            "\n" + """{"instruction":"i","input":"a","output":"o"}""" + "\n\n" + """{"id":"x","instruction":"i","input":"b","output":"o"}""" + "\n" +
            """{"instruction":"i","input":"c","output":"o"}""" + "\n");

        Assert.Equal(["my-task_0", "x", "my-task_2"], TaskFileReader.Read(path).Select(e => e.Id));
    }

    [Fact]
    public void AByteOrderMarkIsSkipped()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "bom.jsonl");
        File.WriteAllText(path, """{"instruction":"i","input":"a","output":"o"}""" + "\n", new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        Assert.Single(TaskFileReader.Read(path));
    }

    public static TheoryData<string, int, int?, string> MalformedLines => new()
    {
        // content, the bad line (1-based), its record index (null: not a record), what is wrong
        { "{\"instruction\":\"i\",\"input\":\"a\",\"output\":\"o\"}\n{\"instruction\":\"i\",\"input\":\"a\" \"output\":\"o\"}\n", 2, null, "invalid JSON" },
        { "{\"instruction\":\"i\",\"input\":\"a\",\"output\":\"o\"}\n\n{\"instruction\":\"i\",\"input\":\"a\"}\n", 3, 1, "'output' is missing" },
        // A .jsonl file is JSON Lines even when a line is an array.
        { "[1]\n", 1, 0, "must be a JSON object" },
        { "{\"instruction\":\"i\",\"input\":\"a\",\"output\":\"o\"}\n\"text\"\n", 2, 1, "must be a JSON object" },
        { "{\"instruction\":\"i\",\"input\":\"a\",\"output\":\"o\"}\n{\"instruction\":\"i\",\"input\":\"a\",\"output\":\"\"}\n", 2, 1, "'output' (the label) is empty" },
        { "{\"instruction\":\"i\",\"input\":3,\"output\":\"o\"}", 1, 0, "'input' must be a string" },
        { "{\"instruction\":\"i\",\"input\":\"a\",\"output\":\"o\"}\n{\"instruction\":\"i\",\n\"input\":\"a\",\"output\":\"o\"}\n", 2, null, "invalid JSON" },
    };

    [Theory]
    [MemberData(nameof(MalformedLines))]
    public void AMalformedLineIsRefusedWithTheFileAndItsLineNumber(string content, int line, int? record, string problem)
    {
        using var dir = new TempDirectory();
        string path = dir.WriteFile("bad.jsonl", content);

        var error = Assert.Throws<TaskDataException>(() => TaskFileReader.Read(path));

        Assert.Equal(path, error.FilePath);
        Assert.Equal(line, error.LineNumber);
        Assert.Equal(record, error.RecordIndex);
        Assert.Contains($"'{path}', line {line}", error.Message);
        Assert.Contains(problem, error.Message);
        // Only the file's line number: the parser's own position within the line is not repeated.
        Assert.DoesNotContain("LineNumber:", error.Message);
    }

    [Fact]
    public void AJsonArrayIsNeverGivenALineNumberOfARecord()
    {
        using var dir = new TempDirectory();
        string path = dir.WriteFile("bad.json", """[{"instruction":"i","input":"a"}]""");

        var error = Assert.Throws<TaskDataException>(() => TaskFileReader.Read(path));

        Assert.Null(error.LineNumber);
        Assert.Equal(0, error.RecordIndex);
    }

    [Fact]
    public void ABlankJsonLinesFileIsEmpty()
    {
        using var dir = new TempDirectory();
        var error = Assert.Throws<TaskDataException>(() => TaskFileReader.Read(dir.WriteFile("blank.jsonl", "\n \r\n\t\n")));
        Assert.Contains("empty", error.Message);
    }

    [Fact]
    public void TheBenchmarkLoaderReadsJsonLinesSplitsAndRefusesASplitGivenTwice()
    {
        using var data = new TempDirectory();
        foreach (string split in new[] { "train", "dev", "test" })
        {
            Directory.CreateDirectory(Path.Combine(data.Path, split));
            File.WriteAllLines(Path.Combine(data.Path, split, "even.jsonl"), Examples.Select(Line));
        }

        var task = Assert.Single(BenchmarkTaskLoader.Load(data.Path, ["even"], TaskSubsetSizes.All, seed: 1));
        Assert.Equal(Examples.Select(e => e.Id).Order(), task.Train.Select(e => e.Id).Order());
        Assert.False(task.EvaluatedOnDev);

        TaskFileWriter.Write(Path.Combine(data.Path, "dev", "even.json"), Examples);
        var error = Assert.Throws<TaskDataException>(() => BenchmarkTaskLoader.Load(data.Path, ["even"], TaskSubsetSizes.All, seed: 1));
        Assert.Contains("even.json", error.Message);
        Assert.Contains("even.jsonl", error.Message);
        Assert.Contains("dev split", error.Message);
    }

    [Fact]
    public void TaskFilePathsFindsEitherExtensionAndListsBoth()
    {
        using var data = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(data.Path, "train"));
        Assert.Null(TaskFilePaths.Find(data.Path, "train", "a"));
        string lines = Path.Combine(data.Path, "train", "a.jsonl");
        File.WriteAllText(lines, "{}");
        File.WriteAllText(Path.Combine(data.Path, "train", "b.json"), "[]");
        File.WriteAllText(Path.Combine(data.Path, "train", "notes.txt"), "");
        Assert.Equal(lines, TaskFilePaths.Find(data.Path, "train", "a"));
        Assert.Equal(["a.jsonl", "b.json"], TaskFilePaths.InFolder(Path.Combine(data.Path, "train")).Select(Path.GetFileName));
    }
}

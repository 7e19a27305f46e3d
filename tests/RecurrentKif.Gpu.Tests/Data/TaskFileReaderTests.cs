using RecurrentKif.Gpu.Data;

namespace RecurrentKif.Gpu.Tests.Data;

public class TaskFileReaderTests
{
    public static TheoryData<string, int> RealTrainSizes => new()
    {
        { "agnews", 1000 }, { "amazon", 1000 }, { "boolqa", 1000 }, { "cb", 250 }, { "copa", 400 },
        { "dbpedia", 1000 }, { "imdb", 1000 }, { "mnli", 1000 }, { "multirc", 1000 }, { "qqp", 1000 },
        { "rte", 1000 }, { "sst-2", 1000 }, { "wic", 1000 }, { "yahoo", 1000 }, { "yelp", 1000 },
    };

    [Theory]
    [MemberData(nameof(RealTrainSizes))]
    public void ReadsEveryRealTrainFileWithItsDocumentedSize(string task, int expected)
    {
        IReadOnlyList<TaskExample> examples = TaskFileReader.Read(Path.Combine(SharedFixtures.LongSequence, "train", task + ".json"));

        Assert.Equal(expected, examples.Count);
        Assert.All(examples, e =>
        {
            Assert.False(string.IsNullOrEmpty(e.Id));
            Assert.EndsWith("\n", e.Instruction);
            Assert.EndsWith("Answer:", e.Input);
            Assert.Contains(e.Output, e.Instruction);
        });
    }

    [Fact]
    public void KeepsFieldsOfTheFirstSst2RecordVerbatim()
    {
        TaskExample first = TaskFileReader.Read(Path.Combine(SharedFixtures.LongSequence, "train", "sst-2.json"))[0];

        Assert.Equal("SST-2_0", first.Id);
        Assert.Equal("What is the sentiment of the following paragraph? Choose one from the option. Option: Good, Bad.\n", first.Instruction);
        Assert.Equal("Text: what with all the blanket statements and dime-store ruminations on vanity \nAnswer:", first.Input);
        Assert.Equal("Bad", first.Output);
    }

    [Fact]
    public void SynthesisesMissingIdsFromFileStemAndIndex()
    {
        using var dir = new TempDirectory();
        string path = dir.WriteFile("my-task.json",
            """[{"id":"x","instruction":"i","input":"a","output":"o"},{"instruction":"i","input":"b","output":"o"}]""");

        IReadOnlyList<TaskExample> examples = TaskFileReader.Read(path);

        Assert.Equal(["x", "my-task_1"], examples.Select(e => e.Id));
        Assert.Equal("b", examples[1].Input);
    }

    [Fact]
    public void ReadsAFileThatStartsWithAByteOrderMark()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "bom.json");
        File.WriteAllText(path, """[{"instruction":"i","input":"a","output":"o"}]""", new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        Assert.Single(TaskFileReader.Read(path));
    }

    public static TheoryData<string, string, int, string> MalformedRecords => new()
    {
        { "record-not-object", """[{"instruction":"i","input":"a","output":"o"}, 5]""", 1, "must be a JSON object" },
        { "output-missing", """[{"instruction":"i","input":"a","output":"o"},{"instruction":"i","input":"a"}]""", 1, "'output' is missing" },
        { "output-not-string", """[{"instruction":"i","input":"a","output":3}]""", 0, "'output' must be a string" },
        { "output-empty", """[{"instruction":"i","input":"a","output":"o"},{"instruction":"i","input":"a","output":"o"},{"instruction":"i","input":"a","output":""}]""", 2, "'output' (the label) is empty" },
        { "instruction-missing", """[{"input":"a","output":"o"}]""", 0, "'instruction' is missing" },
        { "instruction-not-string", """[{"instruction":["i"],"input":"a","output":"o"}]""", 0, "'instruction' must be a string" },
        { "input-missing", """[{"instruction":"i","input":"a","output":"o"},{"instruction":"i","output":"o"}]""", 1, "'input' is missing" },
        { "input-not-string", """[{"instruction":"i","input":null,"output":"o"}]""", 0, "'input' must be a string" },
        { "id-not-string", """[{"id":7,"instruction":"i","input":"a","output":"o"}]""", 0, "'id' must be a string" },
    };

    [Theory]
    [MemberData(nameof(MalformedRecords))]
    public void MalformedRecordNamesFileRecordAndProblem(string name, string json, int recordIndex, string problem)
    {
        using var dir = new TempDirectory();
        string path = dir.WriteFile(name + ".json", json);

        var error = Assert.Throws<TaskDataException>(() => TaskFileReader.Read(path));

        Assert.Equal(path, error.FilePath);
        Assert.Equal(recordIndex, error.RecordIndex);
        Assert.Contains(name + ".json", error.Message);
        Assert.Contains($"record {recordIndex}", error.Message);
        Assert.Contains(problem, error.Message);
    }

    public static TheoryData<string, string, string> MalformedFiles => new()
    {
        { "empty-file", "", "empty" },
        { "blank-file", "  \n ", "empty" },
        { "empty-array", "[ ]", "no records" },
        // Not starting with '[', a file is read as JSON Lines: a pretty-printed object fails on its first line.
        { "pretty-printed-object", "{\n  \"instruction\": \"i\",\n  \"input\": \"a\",\n  \"output\": \"o\"\n}", "line 1: invalid JSON" },
        { "invalid-json", "[\n{\"instruction\":\"i\",\n\"input\":\"a\" \"output\":\"o\"}]", "invalid JSON at line 3" },
        { "truncated-json", """[{"instruction":"i","input":"a","output":"o"}""", "invalid JSON" },
    };

    [Theory]
    [MemberData(nameof(MalformedFiles))]
    public void MalformedFileNamesFileAndProblem(string name, string content, string problem)
    {
        using var dir = new TempDirectory();
        string path = dir.WriteFile(name + ".json", content);

        var error = Assert.Throws<TaskDataException>(() => TaskFileReader.Read(path));

        Assert.Null(error.RecordIndex);
        Assert.Contains(name + ".json", error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void MissingFileIsATaskDataException()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "absent.json");

        var error = Assert.Throws<TaskDataException>(() => TaskFileReader.Read(path));

        Assert.Contains("absent.json", error.Message);
        Assert.Contains("does not exist", error.Message);
    }

    [Fact]
    public void WriterOutputReadsBackUnchanged()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "sub", "round.json");
        TaskExample[] written =
        [
            new("r_0", "Question? Option: A, B.\n", "Text: \"quoted\" & <odd> é\nAnswer:", "A"),
            new("r_1", "Question? Option: A, B.\n", "", "B"),
        ];

        TaskFileWriter.Write(path, written);

        Assert.Equal(written, TaskFileReader.Read(path));
    }
}

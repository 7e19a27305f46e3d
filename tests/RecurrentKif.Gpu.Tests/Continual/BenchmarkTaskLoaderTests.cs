using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Tests.Data;

namespace RecurrentKif.Gpu.Tests.Continual;

public class BenchmarkTaskLoaderTests
{
    private static string Root => SharedFixtures.LongSequence;

    private static HashSet<string> IdsIn(string split, string task) =>
        TaskFileReader.Read(Path.Combine(Root, split, task + ".json")).Select(e => e.Id).ToHashSet();

    private static string[] Ids(IEnumerable<TaskExample> examples) => examples.Select(e => e.Id).ToArray();

    [Fact]
    public void TasksWithoutATestSplitAreEvaluatedOnDevAndFlagged()
    {
        var tasks = BenchmarkTaskLoader.Load(Root, ["dbpedia", "agnews", "yahoo"], new TaskSubsetSizes(20, 10, 30), seed: 1);

        Assert.Equal(["dbpedia", "agnews", "yahoo"], tasks.Select(t => t.Name));
        Assert.Equal([true, false, true], tasks.Select(t => t.EvaluatedOnDev));
        Assert.Subset(IdsIn("dev", "dbpedia"), Ids(tasks[0].Evaluation).ToHashSet());
        Assert.Subset(IdsIn("dev", "yahoo"), Ids(tasks[2].Evaluation).ToHashSet());
        Assert.Subset(IdsIn("test", "agnews"), Ids(tasks[1].Evaluation).ToHashSet());
    }

    [Fact]
    public void SubsetSizesAreRespected()
    {
        var tasks = BenchmarkTaskLoader.Load(Root, ["agnews", "dbpedia"], new TaskSubsetSizes(40, 12, 30), seed: 3);

        Assert.All(tasks, t => Assert.Equal(40, t.Train.Count));
        Assert.All(tasks, t => Assert.Equal(12, t.Dev.Count));
        Assert.All(tasks, t => Assert.Equal(30, t.Evaluation.Count));
        Assert.All(tasks, t => Assert.Equal(t.Train.Count, t.Train.Distinct().Count()));
    }

    [Fact]
    public void ZeroMeansTheWholeSplitInFileOrder()
    {
        var cb = BenchmarkTaskLoader.Load(Root, ["cb"], TaskSubsetSizes.All, seed: 3).Single();

        Assert.Equal(TaskFileReader.Read(Path.Combine(Root, "train", "cb.json")), cb.Train);
        Assert.Equal(TaskFileReader.Read(Path.Combine(Root, "dev", "cb.json")), cb.Dev);
        Assert.Equal(TaskFileReader.Read(Path.Combine(Root, "test", "cb.json")), cb.Evaluation);
    }

    [Fact]
    public void ASubsetAsLargeAsTheLabelCountHoldsEveryLabelOnce()
    {
        // dbpedia has 14 labels, yahoo 10; an unstratified draw of 14 from 1 000 almost never covers all 14.
        var tasks = BenchmarkTaskLoader.Load(Root, ["dbpedia", "yahoo"], new TaskSubsetSizes(14, 10, 14), seed: 5);

        Assert.Equal(14, tasks[0].Train.Select(e => e.Output).Distinct().Count());
        Assert.Equal(14, tasks[0].Evaluation.Select(e => e.Output).Distinct().Count());
        Assert.Equal(10, tasks[1].Dev.Select(e => e.Output).Distinct().Count());
    }

    [Fact]
    public void SubsetsAreLabelBalanced()
    {
        var dbpedia = BenchmarkTaskLoader.Load(Root, ["dbpedia"], new TaskSubsetSizes(42, 0, 0), seed: 5).Single();

        Assert.All(dbpedia.Train.GroupBy(e => e.Output), g => Assert.Equal(3, g.Count()));
    }

    [Fact]
    public void ARareLabelGivesItsUnusedShareToTheOthers()
    {
        using var data = new TempDirectory();
        var train = Enumerable.Range(0, 33).Select(i => new TaskExample($"s_{i}", "q", $"x{i}", i < 3 ? "rare" : "common")).ToArray();
        WriteTask(data.Path, "skewed", train, train, train);

        var task = BenchmarkTaskLoader.Load(data.Path, ["skewed"], new TaskSubsetSizes(10, 0, 0), seed: 9).Single();

        Assert.Equal(10, task.Train.Count);
        Assert.Equal(3, task.Train.Count(e => e.Output == "rare"));
    }

    [Fact]
    public void TheSameSeedGivesTheSameSubsetsAndAnotherSeedOthers()
    {
        var sizes = new TaskSubsetSizes(30, 10, 20);
        var first = BenchmarkTaskLoader.Load(Root, ["mnli", "dbpedia"], sizes, seed: 11);
        var again = BenchmarkTaskLoader.Load(Root, ["mnli", "dbpedia"], sizes, seed: 11);
        var other = BenchmarkTaskLoader.Load(Root, ["mnli", "dbpedia"], sizes, seed: 12);

        for (int t = 0; t < 2; t++)
        {
            Assert.Equal(Ids(first[t].Train), Ids(again[t].Train));
            Assert.Equal(Ids(first[t].Dev), Ids(again[t].Dev));
            Assert.Equal(Ids(first[t].Evaluation), Ids(again[t].Evaluation));
            Assert.NotEqual(Ids(first[t].Train), Ids(other[t].Train));
            Assert.NotEqual(Ids(first[t].Evaluation), Ids(other[t].Evaluation));
        }
    }

    [Fact]
    public void ATasksSubsetsDoNotDependOnItsPlaceInTheSequence()
    {
        var sizes = new TaskSubsetSizes(30, 10, 20);
        var cbFirst = BenchmarkTaskLoader.Load(Root, ["cb", "mnli"], sizes, seed: 4)[0];
        var cbSecond = BenchmarkTaskLoader.Load(Root, ["mnli", "cb"], sizes, seed: 4)[1];

        Assert.Equal(Ids(cbFirst.Train), Ids(cbSecond.Train));
        Assert.Equal(Ids(cbFirst.Evaluation), Ids(cbSecond.Evaluation));

        // LoadOne, what the coordinator and the learners use for a submitted task, cuts it the same way.
        var cbAlone = BenchmarkTaskLoader.LoadOne(Root, "cb", sizes, seed: 4);
        Assert.Equal("cb", cbAlone.Name);
        Assert.Equal(Ids(cbFirst.Train), Ids(cbAlone.Train));
        Assert.Equal(Ids(cbFirst.Dev), Ids(cbAlone.Dev));
        Assert.Equal(Ids(cbFirst.Evaluation), Ids(cbAlone.Evaluation));
    }

    [Fact]
    public void ValidationAndEvaluationSubsetsOfADevEvaluatedTaskAreDisjoint()
    {
        var dbpedia = BenchmarkTaskLoader.Load(Root, ["dbpedia"], new TaskSubsetSizes(10, 100, 400), seed: 2).Single();

        Assert.Equal(100, dbpedia.Dev.Count);
        Assert.Equal(400, dbpedia.Evaluation.Count);
        Assert.Empty(Ids(dbpedia.Dev).Intersect(Ids(dbpedia.Evaluation)));
    }

    [Fact]
    public void ATooSmallDevSplitOverlapsOnlyByTheShortfall()
    {
        using var data = new TempDirectory();
        var examples = Enumerable.Range(0, 10).Select(i => new TaskExample($"d_{i}", "q", $"x{i}", i % 2 == 0 ? "A" : "B")).ToArray();
        WriteTask(data.Path, "tiny", examples, examples, test: null);

        var tiny = BenchmarkTaskLoader.Load(data.Path, ["tiny"], new TaskSubsetSizes(0, 5, 8), seed: 1).Single();

        Assert.True(tiny.EvaluatedOnDev);
        Assert.Equal(8, tiny.Evaluation.Count);
        Assert.Equal(5, tiny.Dev.Count);
        Assert.Equal(5, tiny.Dev.Distinct().Count());
        Assert.Equal(3, Ids(tiny.Dev).Intersect(Ids(tiny.Evaluation)).Count());
    }

    [Theory]
    [InlineData("train")]
    [InlineData("dev")]
    public void AMissingTrainOrDevFileIsReportedByItsPath(string missing)
    {
        using var data = new TempDirectory();
        var examples = new[] { new TaskExample("e_0", "q", "x", "A") };
        WriteTask(data.Path, "lonely", examples, examples, examples);
        string path = Path.Combine(data.Path, missing, "lonely.json");
        File.Delete(path);

        var error = Assert.Throws<TaskDataException>(() => BenchmarkTaskLoader.Load(data.Path, ["lonely"], TaskSubsetSizes.All, seed: 1));

        Assert.Equal(path, error.FilePath);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void AMissingDataFolderIsReportedByItsPath()
    {
        string root = Path.Combine(Path.GetTempPath(), "rkif-no-such-folder-" + Guid.NewGuid().ToString("N"));

        var error = Assert.Throws<DirectoryNotFoundException>(() => BenchmarkTaskLoader.Load(root, ["cb"], TaskSubsetSizes.All, seed: 1));

        Assert.Contains(root, error.Message);
    }

    [Fact]
    public void NegativeSizesAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TaskSubsetSizes(-1, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TaskSubsetSizes(0, -1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TaskSubsetSizes(0, 0, -1));
    }

    private static void WriteTask(string root, string name, TaskExample[] train, TaskExample[] dev, TaskExample[]? test)
    {
        TaskFileWriter.Write(Path.Combine(root, "train", name + ".json"), train);
        TaskFileWriter.Write(Path.Combine(root, "dev", name + ".json"), dev);
        if (test is not null) TaskFileWriter.Write(Path.Combine(root, "test", name + ".json"), test);
    }
}

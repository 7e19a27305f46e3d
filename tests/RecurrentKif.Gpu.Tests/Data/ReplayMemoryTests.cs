using RecurrentKif.Gpu.Data;

namespace RecurrentKif.Gpu.Tests.Data;

public class ReplayMemoryTests
{
    private static IReadOnlyList<TaskExample> RealTrain(string task) =>
        TaskFileReader.Read(Path.Combine(SharedFixtures.LongSequence, "train", task + ".json"));

    private static string[] LabelsInOrderOfFirstAppearance(IReadOnlyList<TaskExample> train) =>
        train.Select(e => e.Output).Distinct().ToArray();

    [Fact]
    public void DbpediaGetsOnePerClassThenSixRandom()
    {
        IReadOnlyList<TaskExample> train = RealTrain("dbpedia");
        string[] labels = LabelsInOrderOfFirstAppearance(train);

        IReadOnlyList<TaskExample> memory = ReplayMemory.BuildClassBalanced(train, 0.02, new SeededRandom(42));

        Assert.Equal(14, labels.Length);
        Assert.Equal(20, memory.Count);
        Assert.Equal(labels, memory.Take(14).Select(e => e.Output));
        Assert.Equal(20, memory.Select(e => e.Id).Distinct().Count());
        Assert.All(memory, e => Assert.Contains(e, train));
    }

    [Fact]
    public void MnliGetsSixPerClassThenTwoRandom()
    {
        IReadOnlyList<TaskExample> train = RealTrain("mnli");
        string[] labels = LabelsInOrderOfFirstAppearance(train);

        IReadOnlyList<TaskExample> memory = ReplayMemory.BuildClassBalanced(train, 0.02, new SeededRandom(42));

        Assert.Equal(20, memory.Count);
        Assert.Equal(labels.SelectMany(l => Enumerable.Repeat(l, 6)), memory.Take(18).Select(e => e.Output));
        Assert.Equal(20, memory.Select(e => e.Id).Distinct().Count());
    }

    [Theory]
    [InlineData("cb", 5)]
    [InlineData("copa", 8)]
    [InlineData("sst-2", 20)]
    public void SizeIsTwoPercentOfTheTrainingSet(string task, int expected)
    {
        Assert.Equal(expected, ReplayMemory.BuildClassBalanced(RealTrain(task), 0.02, new SeededRandom(42)).Count);
    }

    [Fact]
    public void SameSeedSameMemoryOtherSeedOtherMemory()
    {
        IReadOnlyList<TaskExample> train = RealTrain("agnews");
        string[] Ids(int seed) => ReplayMemory.BuildClassBalanced(train, 0.02, new SeededRandom(seed)).Select(e => e.Id).ToArray();

        Assert.Equal(Ids(42), Ids(42));
        Assert.NotEqual(Ids(42), Ids(43));
    }

    [Fact]
    public void ARareLabelGivesAllItHasAndTheTopUpFillsTheRest()
    {
        var train = Enumerable.Range(0, 10).Select(i => new TaskExample($"a{i}", "", "", "A"))
            .Append(new TaskExample("b0", "", "", "B")).ToArray();

        IReadOnlyList<TaskExample> memory = ReplayMemory.BuildClassBalanced(train, 0.5, new SeededRandom(1));

        // n_mem = 5, per_class = 2: A gives 2, B has only 1, then 2 more distinct A's.
        Assert.Equal(["A", "A", "B", "A", "A"], memory.Select(e => e.Output));
        Assert.Equal(5, memory.Distinct().Count());
    }

    [Fact]
    public void DrawsWithinALabelReachEveryExample()
    {
        var train = Enumerable.Range(0, 10).Select(i => new TaskExample($"a{i}", "", "", "A")).ToArray();
        var seen = new HashSet<string>();

        for (int seed = 0; seed < 100; seed++)
            seen.UnionWith(ReplayMemory.BuildClassBalanced(train, 0.1, new SeededRandom(seed)).Select(e => e.Id));

        Assert.Equal(10, seen.Count);
    }

    [Fact]
    public void ATaskTooSmallForTheRatioKeepsOneExamplePerLabelAndSaysSo()
    {
        // 0.02 × 30 = 0.6 → 0 examples by the ratio alone; three labels → one of each instead.
        var train = Enumerable.Range(0, 30).Select(i => new TaskExample($"e{i}", "", "", ((char)('A' + i % 3)).ToString())).ToArray();

        MemoryDraw draw = ReplayMemory.Draw(train, 0.02, new SeededRandom(1));

        Assert.True(draw.FloorRaised);
        Assert.Equal(0, draw.SizeByRatio);
        Assert.Equal(3, draw.Labels);
        Assert.Equal(["A", "B", "C"], draw.Examples.Select(e => e.Output));
    }

    [Fact]
    public void TheFloorAppliesWhenTheRatioGivesFewerThanTheLabels()
    {
        // 0.02 × 100 = 2 examples for 4 labels: raised to 4, one per label, no top-up.
        var train = Enumerable.Range(0, 100).Select(i => new TaskExample($"e{i}", "", "", ((char)('A' + i % 4)).ToString())).ToArray();

        MemoryDraw draw = ReplayMemory.Draw(train, 0.02, new SeededRandom(1));

        Assert.True(draw.FloorRaised);
        Assert.Equal(2, draw.SizeByRatio);
        Assert.Equal(["A", "B", "C", "D"], draw.Examples.Select(e => e.Output));
    }

    [Theory]
    [InlineData("dbpedia")]
    [InlineData("mnli")]
    [InlineData("cb")]
    public void WhereTheRatioCoversEveryLabelTheDrawIsTheReferenceOne(string task)
    {
        MemoryDraw draw = ReplayMemory.Draw(RealTrain(task), 0.02, new SeededRandom(42));

        Assert.False(draw.FloorRaised);
        Assert.Equal(draw.SizeByRatio, draw.Examples.Count);
        Assert.Equal(ReplayMemory.BuildClassBalanced(RealTrain(task), 0.02, new SeededRandom(42)).Select(e => e.Id), draw.Examples.Select(e => e.Id));
    }

    [Fact]
    public void ZeroRatioGivesNoMemory()
    {
        Assert.Empty(ReplayMemory.BuildClassBalanced(RealTrain("cb"), 0.0, new SeededRandom(1)));
    }
}

using RecurrentKif.Gpu.Data;

namespace RecurrentKif.Gpu.Tests.Data;

public class ValidationSetTests
{
    private static readonly TaskExample[] Dev =
        Enumerable.Range(0, 56).Select(i => new TaskExample($"d{i}", "", "", "x")).ToArray();

    [Fact]
    public void TakesTheFirstPerTaskOfASeededShuffle()
    {
        IReadOnlyList<TaskExample> picked = ValidationSet.Take(Dev, 25, seed: 42);

        Assert.Equal(25, picked.Count);
        Assert.Equal(25, picked.Distinct().Count());
        Assert.All(picked, e => Assert.Contains(e, Dev));
        Assert.NotEqual(Dev.Take(25), picked);
        Assert.Equal(picked, ValidationSet.Take(Dev, 25, seed: 42));
        Assert.NotEqual(picked, ValidationSet.Take(Dev, 25, seed: 7));
    }

    [Fact]
    public void TakesEverythingFromASmallDevSplit()
    {
        Assert.Equal(10, ValidationSet.Take(Dev[..10], 25, seed: 42).Count);
    }
}

using RecurrentKif.Gpu.Experiments;

namespace RecurrentKif.Gpu.Tests.Experiments;

/// <summary><c>--benchmark</c> / <c>--orders</c> as the launcher passes them (whether <c>--order</c> was written is a flag).</summary>
public sealed class BenchmarkSelectionTests
{
    [Fact]
    public void ABenchmarkDefaultsToItsThreeOrders()
    {
        var selection = BenchmarkSelection.Parse("standard", null, orderGiven: false)!;
        Assert.Equal("standard", selection.Benchmark);
        Assert.Equal(["standard-1", "standard-2", "standard-3"], selection.Orders);
    }

    [Fact]
    public void OrdersAreNumbersOfTheBenchmarkInTheOrderGiven()
    {
        var selection = BenchmarkSelection.Parse("Long", " 3, 1 ", orderGiven: false)!;
        Assert.Equal("long", selection.Benchmark);
        Assert.Equal(["long-3", "long-1"], selection.Orders);
    }

    [Fact]
    public void WithoutABenchmarkNothingChanges() => Assert.Null(BenchmarkSelection.Parse(null, null, orderGiven: true));

    [Fact]
    public void ABenchmarkWithAnExplicitOrderIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => BenchmarkSelection.Parse("standard", "1", orderGiven: true));
        Assert.Contains("cannot be combined with --order", error.Message);
    }

    [Theory]
    [InlineData(null, "1,2", "--benchmark")]
    [InlineData("medium", null, "unknown benchmark 'medium'")]
    [InlineData("standard", "4", "'4' is not an order of the standard benchmark")]
    [InlineData("standard", "standard-1", "'standard-1' is not an order")]
    [InlineData("long", "1,1", "repeats an order")]
    [InlineData("long", ",", "lists no order")]
    public void BadSelectionsSayWhat(string? benchmark, string? orders, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => BenchmarkSelection.Parse(benchmark, orders, orderGiven: false));
        Assert.Contains(expected, error.Message);
    }
}

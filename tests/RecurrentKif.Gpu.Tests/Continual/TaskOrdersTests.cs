using RecurrentKif.Gpu.BuiltIn;
using RecurrentKif.Gpu.Continual;

namespace RecurrentKif.Gpu.Tests.Continual;

public class TaskOrdersTests
{
    [Theory]
    [InlineData("standard-1", "dbpedia,amazon,yahoo,agnews")]
    [InlineData("standard-2", "dbpedia,amazon,agnews,yahoo")]
    [InlineData("standard-3", "yahoo,amazon,agnews,dbpedia")]
    [InlineData("long-1", "mnli,cb,wic,copa,qqp,boolqa,rte,imdb,yelp,amazon,sst-2,dbpedia,agnews,multirc,yahoo")]
    [InlineData("long-2", "multirc,boolqa,wic,mnli,cb,copa,qqp,rte,imdb,sst-2,dbpedia,agnews,yelp,amazon,yahoo")]
    [InlineData("long-3", "yelp,amazon,mnli,cb,copa,qqp,rte,imdb,sst-2,dbpedia,agnews,yahoo,multirc,boolqa,wic")]
    public void BenchmarkOrdersFollowAlgorithmSection51(string name, string expected)
    {
        Assert.Equal(expected.Split(','), TaskOrders.Get(name));
    }

    [Theory]
    [InlineData("long-1")]
    [InlineData("long-2")]
    [InlineData("long-3")]
    public void LongOrdersHoldTheFifteenTasksWhoseFilesExist(string name)
    {
        var onDisk = Directory.GetFiles(Path.Combine(SharedFixtures.LongSequence, "train"), "*.json")
            .Select(Path.GetFileNameWithoutExtension)
            .Where(stem => !stem!.EndsWith("_T5", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

        var order = TaskOrders.Get(name);

        Assert.Equal(15, order.Count);
        Assert.Equal(onDisk, order.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("standard-1")]
    [InlineData("standard-2")]
    [InlineData("standard-3")]
    public void StandardOrdersUseTheFourStandardTasks(string name)
    {
        Assert.Equal(["agnews", "amazon", "dbpedia", "yahoo"], TaskOrders.Get(name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void BuiltInOrdersFollowTheGeneratorsTaskOrder()
    {
        Assert.Equal(BuiltInTaskGenerator.TaskNames, TaskOrders.Get("builtin"));
        Assert.Equal(["review", "topic", "picnic"], TaskOrders.Get("builtin-short"));
        Assert.All(TaskOrders.Get("builtin-short"), t => Assert.Contains(t, BuiltInTaskGenerator.TaskNames));
    }

    [Fact]
    public void NamesListsEveryOrderAndEachResolves()
    {
        Assert.Equal(["standard-1", "standard-2", "standard-3", "long-1", "long-2", "long-3", "builtin", "builtin-short"], TaskOrders.Names);
        Assert.All(TaskOrders.Names, name => Assert.NotEmpty(TaskOrders.Get(name)));
    }

    [Fact]
    public void OrderNamesIgnoreCaseAndSurroundingSpace()
    {
        Assert.Equal(TaskOrders.Get("long-2"), TaskOrders.Get(" LONG-2 "));
    }

    [Fact]
    public void AnUnknownNameIsRejectedWithTheKnownNames()
    {
        var error = Assert.Throws<ArgumentException>(() => TaskOrders.Get("long-4"));

        Assert.Contains("long-4", error.Message);
        Assert.All(TaskOrders.Names, name => Assert.Contains(name, error.Message));
    }

    [Fact]
    public void TheOrdersCannotBeChangedByACaller()
    {
        var order = (IList<string>)TaskOrders.Get("long-1");

        Assert.ThrowsAny<NotSupportedException>(() => order[0] = "changed");
        Assert.Equal("mnli", TaskOrders.Get("long-1")[0]);
    }

    [Fact]
    public void ResolveAcceptsANamedOrder()
    {
        Assert.Equal(TaskOrders.Get("standard-3"), TaskOrders.Resolve("standard-3"));
    }

    [Fact]
    public void ResolveAcceptsACommaSeparatedListInItsOrder()
    {
        Assert.Equal(["wic", "mnli", "cb"], TaskOrders.Resolve(" wic, mnli ,cb "));
        Assert.Equal(["my-task", "other"], TaskOrders.Resolve("my-task,other"));
    }

    [Fact]
    public void ResolveAcceptsOneKnownTaskAsAOneTaskSequence()
    {
        Assert.Equal(["cb"], TaskOrders.Resolve("cb"));
    }

    [Fact]
    public void ResolveRejectsAWordThatIsNeitherAnOrderNorAKnownTask()
    {
        var error = Assert.Throws<ArgumentException>(() => TaskOrders.Resolve("lnog-1"));

        Assert.All(TaskOrders.Names, name => Assert.Contains(name, error.Message));
    }

    [Theory]
    [InlineData("mnli,,cb")]
    [InlineData("mnli,cb,")]
    [InlineData("mnli,cb,mnli")]
    [InlineData("")]
    public void ResolveRejectsEmptyOrRepeatedEntries(string list)
    {
        Assert.Throws<ArgumentException>(() => TaskOrders.Resolve(list));
    }
}

using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Experiments;
using static RecurrentKif.Gpu.Tests.Experiments.BenchmarkSamples;

namespace RecurrentKif.Gpu.Tests.Experiments;

/// <summary>
/// benchmark.json read back, and runs made by separate processes combined into one table: the table must be the one
/// a single run over everything would have written.
/// </summary>
public sealed class BenchmarkCombinationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("rkif-combine-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Written(BenchmarkResult result, string name, string scale = Scale)
    {
        string path = Path.Combine(_folder, name + ".json");
        BenchmarkJson.Write(result, scale, path);
        return path;
    }

    [Fact]
    public void AFileReadBackGivesTheSameTable()
    {
        var file = BenchmarkFile.Read(Written(Result(), "whole"));

        Assert.Equal(Scale, file.Scale);
        Assert.Equal(BenchmarkTables.Markdown(Result(), Scale), BenchmarkTables.Markdown(file.Result, file.Scale));
        Assert.Equal(BenchmarkJson.Serialize(Result(), Scale), BenchmarkJson.Serialize(file.Result, file.Scale));
    }

    [Fact]
    public void OrdersRunApartCombineIntoTheTableOfOneRun()
    {
        var whole = Result();
        var first = whole with { Orders = [whole.Orders[0]] };
        var second = whole with { Orders = [whole.Orders[1]] };

        var (combined, scale) = BenchmarkCombination.Combine([BenchmarkFile.Read(Written(first, "a")), BenchmarkFile.Read(Written(second, "b"))]);

        Assert.Equal(BenchmarkJson.Serialize(whole, Scale), BenchmarkJson.Serialize(combined, scale));
    }

    [Fact]
    public void MethodsRunApartArePooledWithinAnOrder()
    {
        var whole = Result();
        BenchmarkResult Only(ExperimentVariant variant) => whole with
        {
            Variants = [variant],
            Orders = [.. whole.Orders.Select(o => o with
            {
                Result = o.Result with { Variants = [variant.Name], Runs = [.. o.Result.Runs.Where(r => r.Variant == variant.Name)] },
            })],
        };

        var (combined, scale) = BenchmarkCombination.Combine([BenchmarkFile.Read(Written(Only(SeqLora), "seq")), BenchmarkFile.Read(Written(Only(Kif), "kif"))]);

        Assert.Equal(BenchmarkTables.Markdown(whole, Scale), BenchmarkTables.Markdown(combined, scale));
    }

    [Fact]
    public void ARunFoundTwiceIsRefused()
    {
        string path = Written(Result(), "whole");
        var e = Assert.Throws<ArgumentException>(() => BenchmarkCombination.Combine([BenchmarkFile.Read(path), BenchmarkFile.Read(path)]));
        Assert.Contains("SeqLora with seed 1", e.Message);
    }

    [Fact]
    public void DifferentScalesAreRefusedUnlessTheCombinedScaleIsStated()
    {
        var whole = Result();
        string a = Written(whole with { Orders = [whole.Orders[0]] }, "a", "Scale: model /here.");
        string b = Written(whole with { Orders = [whole.Orders[1]] }, "b", "Scale: model /there.");

        var e = Assert.Throws<ArgumentException>(() => BenchmarkCombination.Combine([BenchmarkFile.Read(a), BenchmarkFile.Read(b)]));
        Assert.Contains("different scales", e.Message);
        var (_, scale) = BenchmarkCombination.Combine([BenchmarkFile.Read(a), BenchmarkFile.Read(b)], "Scale: the same model.");
        Assert.Equal("Scale: the same model.", scale);
    }

    [Fact]
    public void AnotherBenchmarkOrAnotherTaskSequenceIsRefused()
    {
        var whole = Result();
        string standard = Written(whole with { Orders = [whole.Orders[0]] }, "standard");
        string longer = Written(Result("long"), "long");
        Assert.Contains("one table holds one benchmark",
            Assert.Throws<ArgumentException>(() => BenchmarkCombination.Combine([BenchmarkFile.Read(standard), BenchmarkFile.Read(longer)])).Message);

        // The second order's experiment under the first order's name: same order, other task sequence.
        var renamed = whole with { Orders = [whole.Orders[1] with { Name = whole.Orders[0].Name }] };
        string clash = Written(renamed, "clash");
        Assert.Contains("trains beta → alpha",
            Assert.Throws<ArgumentException>(() => BenchmarkCombination.Combine([BenchmarkFile.Read(standard), BenchmarkFile.Read(clash)])).Message);
    }

    [Theory]
    [InlineData("{", "not valid benchmark JSON")]
    [InlineData("{\"formatVersion\": 9}", "format version 9")]
    [InlineData("{\"formatVersion\": 1, \"benchmark\": \"standard\"}", "is missing")]
    public void AMalformedFileSaysWhatIsWrongAndWhere(string text, string expected)
    {
        string path = Path.Combine(_folder, "bad.json");
        File.WriteAllText(path, text);
        var e = Assert.Throws<InvalidDataException>(() => BenchmarkFile.Read(path));
        Assert.Contains(expected, e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void AnAccuracyOutsideZeroToOneIsRefused()
    {
        string path = Written(Result(), "whole");
        File.WriteAllText(path, File.ReadAllText(path).Replace("0.9,", "9.0,"));
        Assert.Contains("is not a fraction", Assert.Throws<InvalidDataException>(() => BenchmarkFile.Read(path)).Message);
    }

    public static TheoryData<ExperimentVariant> Variants() =>
    [
        new(ContinualMethod.SeqLora),
        new(ContinualMethod.RecurrentKif, OuterUpdateMode.SeparateAdamW),
        new(ContinualMethod.RecurrentKif, OuterUpdateMode.Frozen, Ablation.NoDynamicImportance),
        new(ContinualMethod.RecurrentKif, OuterUpdateMode.Frozen, Ablation.Adaptive),
    ];

    [Theory]
    [MemberData(nameof(Variants))]
    public void AVariantsNameParsesBackToIt(ExperimentVariant variant) => Assert.Equal(variant, ExperimentVariant.Parse(variant.Name));

    [Theory]
    [InlineData("Nonsense")]
    [InlineData("RecurrentKif[Sideways]")]
    [InlineData("RecurrentKif[Frozen")]
    [InlineData("RecurrentKif[Frozen] -DIE")]
    public void ANameThisBuildDoesNotWriteIsRefused(string name) => Assert.Throws<ArgumentException>(() => ExperimentVariant.Parse(name));
}

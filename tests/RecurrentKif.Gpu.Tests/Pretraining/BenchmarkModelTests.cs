using System.Security.Cryptography;
using System.Text.Json;
using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Pretraining;
using RecurrentKif.Gpu.Tests.Data;
using RecurrentKif.Gpu.Tokenization;

namespace RecurrentKif.Gpu.Tests.Pretraining;

/// <summary>
/// The benchmark model the repository carries (models/benchmark-llama): built from the benchmark's training text only,
/// within the size limits, and rebuildable from its recorded command. Reads the benchmark files where they lie (../shared).
/// </summary>
public sealed class BenchmarkModelTests
{
    [Fact]
    public void TheShippedModelIsWithinTheLimitsAndNamesItsData()
    {
        string folder = BenchmarkModel.ResolveShipped();
        long bytes = Directory.GetFiles(folder).Sum(f => new FileInfo(f).Length);
        Assert.InRange(bytes, 1, 25L * 1024 * 1024);
        var provenance = RecordedPretraining.Read(BenchmarkModel.ShippedFolder, stopAfter: 0).Root;
        Assert.InRange(provenance.GetProperty("parameters").GetInt64(), 5_000_000, 12_000_000);
        // The recorded files are exactly the benchmark's train split, by content.
        var recorded = provenance.GetProperty("trainingFiles").EnumerateArray()
            .Select(f => (f.GetProperty("Name").GetString()!, f.GetProperty("Sha256").GetString()!)).ToList();
        var actual = Directory.GetFiles(Path.Combine(SharedFixtures.LongSequence, "train"), "*.json").Order(StringComparer.Ordinal)
            .Select(p => (Path.GetFileName(p), Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(p))))).ToList();
        Assert.Equal(actual, recorded);
    }

    [Fact]
    public void RebuildingReproducesTheTokenizerAndTheRecordedFirstSteps()
    {
        var (settings, recorded, root) = RecordedPretraining.Read(BenchmarkModel.ShippedFolder, stopAfter: 2);
        Assert.Equal(settings.Steps, recorded.Length);

        using var temp = new TempDirectory();
        var corpus = BenchmarkCorpus.Read(SharedFixtures.LongSequence);
        BenchmarkModel.Create(temp.Path, corpus, settings, root.GetProperty("vocabularySize").GetInt32());
        Assert.Equal(File.ReadAllBytes(Path.Combine(BenchmarkModel.ShippedFolder, "tokenizer.bin")), File.ReadAllBytes(Path.Combine(temp.Path, "tokenizer.bin")));
        double[] replayed = JsonDocument.Parse(File.ReadAllText(Path.Combine(temp.Path, "provenance.json"))).RootElement
            .GetProperty("losses").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(2, replayed.Length);
        // Same data, seed and schedule; only libtorch's thread count may differ (summation order), hence the tolerance.
        for (int i = 0; i < replayed.Length; i++) Assert.InRange(replayed[i], recorded[i] - 1e-3, recorded[i] + 1e-3);
    }

    [Fact]
    public void TheShippedTokenizerSpellsLabelsInAFewPieces()
    {
        var tokenizer = Llama2cTokenizer.Load(Path.Combine(BenchmarkModel.ResolveShipped(), "tokenizer.bin"));
        foreach (string label in new[] { "Sports", "Business", "negative", "very positive", "Village", "Health", "Company" })
            Assert.InRange(tokenizer.Encode(label, addBos: false).Count, 1, 3);
        // The decision is the answer's first piece: agnews' four labels must not share one (at 4 096 pieces "Sports"
        // and "Science or Technology" both began with " S"). Encode prepends the space that follows "Answer:".
        string[] agnews = ["World", "Sports", "Business", "Science or Technology"];
        var firstPieces = agnews.Select(label => tokenizer.Encode(label, addBos: false)[0]).Distinct().Count();
        Assert.Equal(agnews.Length, firstPieces);
    }

    [Theory]
    [InlineData("Title: A\nText: b.\n\nAnswer:", "Title: A\nText: b.")]
    [InlineData("premise\nAnswer:  \n", "premise")]
    [InlineData("Answer:", "")]
    // Only a closing line that is exactly the cue goes: an answer quoted inside the text stays.
    [InlineData("Candidate Answer: Yes", "Candidate Answer: Yes")]
    [InlineData("Answer: no\nmore text", "Answer: no\nmore text")]
    public void OnlyTheClosingAnswerLineIsDropped(string input, string expected) =>
        Assert.Equal(expected, BenchmarkCorpus.WithoutAnswerCue(input));

    [Fact]
    public void TheCorpusHoldsInputsOnlyAndNamesAMissingFolder()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(temp.Path, "train"));
        Directory.CreateDirectory(Path.Combine(temp.Path, "test"));
        TaskFileWriter.Write(Path.Combine(temp.Path, "train", "news.json"),
            [new TaskExample("1", "Option: SECRETOPTION.\n", "Title: A\nText: first\nAnswer:", "SECRETLABEL")]);
        TaskFileWriter.Write(Path.Combine(temp.Path, "test", "news.json"),
            [new TaskExample("2", "Option: x.\n", "SECRETTEST", "y")]);
        var corpus = BenchmarkCorpus.Read(temp.Path);
        Assert.Equal(["Title: A\nText: first"], corpus.Documents);
        Assert.Equal("news.json", Assert.Single(corpus.Files).Name);

        var missing = Assert.Throws<DirectoryNotFoundException>(() => BenchmarkCorpus.Read(Path.Combine(temp.Path, "nope")));
        Assert.Contains("nope", missing.Message);
    }
}

using System.Text.RegularExpressions;
using RecurrentKif.Gpu.BuiltIn;
using RecurrentKif.Gpu.Data;

namespace RecurrentKif.Gpu.Tests.Data;

public class BuiltInTaskGeneratorTests
{
    private static readonly string[] Splits = ["train", "dev", "test"];

    [Fact]
    public void OffersAtLeastFiveDistinctTasks()
    {
        Assert.True(BuiltInTaskGenerator.TaskNames.Count >= 5);
        Assert.Equal(BuiltInTaskGenerator.TaskNames.Count, BuiltInTaskGenerator.TaskNames.Distinct().Count());
    }

    [Fact]
    public void WritesValidBalancedDisjointFiles()
    {
        using var dir = new TempDirectory();
        BuiltInTaskGenerator.Write(dir.Path, seed: 42, trainPerTask: 200, devPerTask: 50, testPerTask: 100);

        foreach (string task in BuiltInTaskGenerator.TaskNames)
        {
            IReadOnlyList<string> labels = BuiltInTaskGenerator.LabelsOf(task);
            var inputsSeen = new HashSet<string>();
            foreach ((string split, int size) in Splits.Zip([200, 50, 100]))
            {
                IReadOnlyList<TaskExample> examples = TaskFileReader.Read(Path.Combine(dir.Path, split, task + ".json"));

                Assert.Equal(size, examples.Count);
                Assert.Equal(size, examples.Select(e => e.Id).Distinct().Count());
                Assert.All(examples, e =>
                {
                    Assert.EndsWith($"Option: {string.Join(", ", labels)}.\n", e.Instruction);
                    Assert.InRange(e.Instruction.Length, 1, 150);
                    Assert.EndsWith("\nAnswer:", e.Input);
                    Assert.InRange(e.Input.Length, 1, 120);
                    Assert.Contains(e.Output, labels);
                    Assert.True(inputsSeen.Add(e.Input), $"{task}/{split}: duplicate input {e.Input}");
                });
                int[] perLabel = labels.Select(l => examples.Count(e => e.Output == l)).ToArray();
                Assert.True(perLabel.Max() - perLabel.Min() <= 1, $"{task}/{split}: unbalanced labels {string.Join(",", perLabel)}");
            }
        }
    }

    [Fact]
    public void SameSeedWritesIdenticalFilesAndOtherSeedDifferentOnes()
    {
        using var a = new TempDirectory();
        using var b = new TempDirectory();
        using var c = new TempDirectory();
        BuiltInTaskGenerator.Write(a.Path, seed: 1, 40, 10, 10);
        BuiltInTaskGenerator.Write(b.Path, seed: 1, 40, 10, 10);
        BuiltInTaskGenerator.Write(c.Path, seed: 2, 40, 10, 10);

        foreach (string task in BuiltInTaskGenerator.TaskNames)
        foreach (string split in Splits)
        {
            string name = Path.Combine(split, task + ".json");
            byte[] first = File.ReadAllBytes(Path.Combine(a.Path, name));
            Assert.Equal(first, File.ReadAllBytes(Path.Combine(b.Path, name)));
            Assert.NotEqual(first, File.ReadAllBytes(Path.Combine(c.Path, name)));
        }
    }

    [Fact]
    public void ComparisonLabelsFollowTheNumbers()
    {
        foreach (TaskExample e in BuiltInTaskGenerator.Generate("compare", 3, 200, 0, 0).Train)
        {
            int[] numbers = Regex.Matches(e.Input, @"\d+").Select(m => int.Parse(m.Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(2, numbers.Length);
            Assert.Equal(numbers[0] > numbers[1] ? "True" : "False", e.Output);
        }
    }

    [Fact]
    public void ParityLabelsFollowTheLastDigit()
    {
        foreach (TaskExample e in BuiltInTaskGenerator.Generate("parity", 3, 200, 0, 0).Train)
        {
            int number = int.Parse(Regex.Match(e.Input, @"\d+").Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(number % 2 == 0 ? "Even" : "Odd", e.Output);
        }
    }

    [Fact]
    public void EntailmentLabelsFollowThePlaces()
    {
        foreach (TaskExample e in BuiltInTaskGenerator.Generate("entail", 3, 200, 0, 0).Train)
        {
            string[] places = Regex.Matches(e.Input, @"in the (\w+)").Select(m => m.Groups[1].Value).ToArray();
            Assert.Equal(2, places.Length);
            Assert.Equal(places[0] == places[1] ? "entailment" : "contradiction", e.Output);
        }
    }

    [Fact]
    public void AskingForMoreInstancesThanTheTemplatesHoldFails()
    {
        Assert.Throws<InvalidOperationException>(() => BuiltInTaskGenerator.Generate("entail", 1, 20_000, 0, 0));
    }

    [Fact]
    public void PretrainingCorpusIsDeterministicAndFreeOfAnswers()
    {
        string[] corpus = BuiltInTaskGenerator.PretrainingCorpus(seed: 5, count: 2_000).ToArray();
        // Label tokens as the tasks spell them: the word-level tokenizer is case-sensitive, so a picnic sentence's
        // "weather" is not topic's answer token "Weather".
        var labelWord = new Regex(
            @"\b(" + string.Join("|", BuiltInTaskGenerator.TaskNames.SelectMany(BuiltInTaskGenerator.LabelsOf).Select(Regex.Escape)) + @")\b");

        Assert.Equal(2_000, corpus.Length);
        Assert.Equal(corpus, BuiltInTaskGenerator.PretrainingCorpus(seed: 5, count: 2_000));
        Assert.NotEqual(corpus, BuiltInTaskGenerator.PretrainingCorpus(seed: 6, count: 2_000));
        Assert.True(corpus.Distinct().Count() > 1_000);
        // Label words appear only in instructions (their option lists), never in an instance, and no answer cue anywhere.
        var instructions = BuiltInTaskGenerator.TaskNames
            .Select(t => BuiltInTaskGenerator.Generate(t, 1, 1, 0, 0).Train[0].Instruction.TrimEnd('\n')).ToHashSet();
        var instances = corpus.Where(s => !instructions.Contains(s)).ToArray();
        Assert.InRange(corpus.Length - instances.Length, 150, 350); // one in eight
        Assert.All(corpus, s => Assert.DoesNotContain("Answer:", s));
        Assert.All(instances, s =>
        {
            Assert.DoesNotMatch(labelWord, s);
            Assert.DoesNotContain("Option", s);
        });
    }

    [Fact]
    public void GeneratedInstancesNeverContainALabelWordOfTheirTask()
    {
        foreach (string task in BuiltInTaskGenerator.TaskNames)
        {
            var labelWord = new Regex(@"\b(" + string.Join("|", BuiltInTaskGenerator.LabelsOf(task).Select(Regex.Escape)) + @")\b", RegexOptions.IgnoreCase);
            Assert.All(BuiltInTaskGenerator.Generate(task, 9, 100, 0, 0).Train, e => Assert.DoesNotMatch(labelWord, e.Input));
        }
    }
}

using System.Text.Json;
using RecurrentKif.Gpu.BuiltIn;

namespace RecurrentKif.Integration.Tests;

/// <summary>
/// <c>rkif experiment --config</c> end to end on the tiny run: the file (with --set) defines the runs, only flags given
/// explicitly override it, every variant runs once per seed, and the outputs hold every run.
/// </summary>
public sealed class ExperimentCommandTests
{
    [Fact]
    public void AConfiguredExperimentRunsEveryVariantPerSeed()
    {
        using var tiny = new TinyRun("tasks.order = \"review,topic\", tasks.train-per-task = 8");
        string output = Path.Combine(tiny.Root, "experiment");
        var result = RkifProcess.Run(
            $"experiment --config \"{tiny.ConfigPath}\" --set training.epochs=1 --methods SeqLora,ComputeMatchedReplay "
            + $"--outer-modes SharedInnerAdam --ablations none,+GM --seeds 1,2 --eval-per-task 4 --out \"{output}\"");
        Assert.True(result.ExitCode == 0, result.Output);

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "experiment.json")));
        var root = json.RootElement;
        Assert.Equal(["review", "topic"], root.GetProperty("tasks").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(["SeqLora", "ComputeMatchedReplay[SharedInnerAdam]", "RecurrentKif[SharedInnerAdam] +GM"],
            root.GetProperty("variants").EnumerateArray().Select(v => v.GetString()));
        var runs = root.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(6, runs.Count);
        Assert.Equal([1L, 1L, 1L, 2L, 2L, 2L], runs.Select(r => r.GetProperty("seed").GetInt64()));
        // 8 examples, batch 4, 1 epoch (the --set, not the --epochs default of 10, which was not given) → 2 steps per task.
        Assert.All(runs, r => Assert.Equal(4, r.GetProperty("extras").GetProperty("innerSteps").GetDouble()));
        // The control and + GM take Recurrent-KIF's outer steps: only task 2 has a memory, ⌊2 / Q = 2⌋ = 1 cycle × 2 outer steps.
        Assert.All(runs.Where(r => r.GetProperty("variant").GetString() != "SeqLora"),
            r => Assert.Equal(2, r.GetProperty("extras").GetProperty("outerSteps").GetDouble()));
        Assert.Equal(3, root.GetProperty("summary").GetArrayLength());
        Assert.Equal(2, root.GetProperty("summary")[0].GetProperty("seeds").GetInt32());

        string comparison = File.ReadAllText(Path.Combine(output, "comparison.md"));
        Assert.Contains("| RecurrentKif[SharedInnerAdam] +GM | 2 |", comparison);
        Assert.Contains("Chance level", comparison);
        Assert.True(File.Exists(Path.Combine(output, "experiment.html")));
    }

    [Fact]
    public void ABenchmarkRunsEachOrderIntoItsFolderAndWritesTheTable()
    {
        using var tiny = new TinyRun();
        var refused = RkifProcess.Run($"experiment --config \"{tiny.ConfigPath}\" --benchmark standard --order standard-1");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("cannot be combined with --order", refused.Output);

        // The standard benchmark's names over small built-in tasks (quick to train and score); yahoo has no test split,
        // as in the real data, so it is evaluated on dev and marked.
        string data = Path.Combine(tiny.Root, "standard");
        BuiltInTaskGenerator.Write(data, seed: 1, trainPerTask: 8, devPerTask: 8, testPerTask: 4);
        foreach (var (from, to) in new[] { ("review", "dbpedia"), ("topic", "amazon"), ("picnic", "yahoo"), ("colour", "agnews") })
            foreach (string split in new[] { "train", "dev", "test" })
                File.Move(Path.Combine(data, split, from + ".json"), Path.Combine(data, split, to + ".json"));
        File.Delete(Path.Combine(data, "test", "yahoo.json"));

        string output = Path.Combine(tiny.Root, "benchmark");
        var result = RkifProcess.Run($"experiment --config \"{tiny.ConfigPath}\" --data \"{data}\" --set training.epochs=1 --benchmark standard --orders 3,1 "
                                     + $"--methods SeqLora --train-per-task 8 --eval-per-task 4 --out \"{output}\"");
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("Order 1/2: standard-3", result.Output);
        Assert.Contains("| SeqLora | 2 | 2 |", result.Output); // the averaged table, printed at the end

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "benchmark.json")));
        var root = json.RootElement;
        Assert.Equal(["standard-3", "standard-1"], root.GetProperty("orders").EnumerateArray().Select(o => o.GetString()));
        var experiments = root.GetProperty("experiments").EnumerateArray().ToList();
        Assert.Equal(["yahoo", "amazon", "agnews", "dbpedia"], experiments[0].GetProperty("experiment").GetProperty("tasks").EnumerateArray().Select(t => t.GetString()));
        Assert.All(experiments, e => Assert.Equal(1, e.GetProperty("experiment").GetProperty("runs").GetArrayLength()));
        Assert.Equal(43.7, root.GetProperty("averaged")[0].GetProperty("paper").GetProperty("row").GetProperty("overallPerformancePercent").GetDouble());

        foreach (string order in new[] { "standard-3", "standard-1" })
            foreach (string file in new[] { "experiment.json", "comparison.md", "matrices.txt", "experiment.html" })
                Assert.True(File.Exists(Path.Combine(output, order, file)), $"{order}/{file} is missing");
        string table = File.ReadAllText(Path.Combine(output, "benchmark.md"));
        Assert.Contains("## standard-1: dbpedia → amazon → yahoo† → agnews", table);
        Assert.Contains("† evaluated on its dev split", table);
        Assert.Contains("standard-1/experiment.html", File.ReadAllText(Path.Combine(output, "benchmark.html")));
    }

    [Fact]
    public void TheBenchmarkModelRunsAStandardOrderOnTheRealFiles()
    {
        // The pipeline on the real benchmark files with the shipped benchmark model, on a fixed subset (8 examples a
        // task): it checks that everything loads, trains, scores and reports, not the numbers.
        using var tiny = new TinyRun("tasks.max-input-words = 24, training.prompt-template = \"Plain\"", model: "benchmark");
        string data = Path.Combine(TinyRun.SharedRoot(), "data", "long-sequence");
        string output = Path.Combine(tiny.Root, "standard");
        var result = RkifProcess.Run($"experiment --config \"{tiny.ConfigPath}\" --data \"{data}\" --set training.epochs=1 --benchmark standard --orders 1 "
                                     + $"--methods SeqLora,RecurrentKif --train-per-task 8 --dev-per-task 4 --eval-per-task 4 --out \"{output}\"");
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("benchmark-llama", result.Output);

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "benchmark.json")));
        var experiment = Assert.Single(json.RootElement.GetProperty("experiments").EnumerateArray()).GetProperty("experiment");
        Assert.Equal(["dbpedia", "amazon", "yahoo", "agnews"], experiment.GetProperty("tasks").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(2, experiment.GetProperty("runs").GetArrayLength());
        string table = File.ReadAllText(Path.Combine(output, "benchmark.md"));
        Assert.Contains("## standard-1: dbpedia† → amazon → yahoo† → agnews", table);
        Assert.Contains("inputs cut to 24 words", table);
    }

    [Fact]
    public void FlagsAndSetWithoutAFileReachTheirKeys()
    {
        // With no --config the settings are reference.conf's; --set and every flag become overrides of their keys, so a
        // bad value is refused by that key's check (naming it) before any data or model is touched.
        foreach (var (arguments, key) in new[]
                 {
                     ("--set kif.quantile=1.5", "rkif.kif.quantile"),
                     ("--quantile 1.5", "rkif.kif.quantile"),
                     ("--q 0", "rkif.kif.inner-steps"),
                     ("--lr 0", "rkif.training.learning-rate"),
                     ("--batch-size 6 --micro-batch-size 4", "rkif.training.batch-size"),
                     // A flag is applied after --set, so its value is the one checked.
                     ("--set training.epochs=2 --epochs 0", "rkif.training.epochs"),
                 })
        {
            var refused = RkifProcess.Run($"experiment {arguments} --methods SeqLora", timeout: TimeSpan.FromMinutes(1));
            Assert.True(refused.ExitCode != 0, $"{arguments}\n{refused.Output}");
            Assert.Contains(key, refused.Output, StringComparison.Ordinal);
        }
        var help = RkifProcess.Run("experiment --help");
        Assert.Equal(0, help.ExitCode);
        foreach (string key in new[] { "rkif.kif.quantile", "rkif.kif.inner-steps", "rkif.training.learning-rate", "rkif.tasks.order", "rkif.model" })
            Assert.Contains($"sets {key})", help.Output, StringComparison.Ordinal);
    }
}

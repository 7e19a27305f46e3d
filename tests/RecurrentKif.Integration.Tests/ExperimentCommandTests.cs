using System.Text.Json;

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
}

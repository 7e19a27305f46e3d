using RecurrentKif.Actors.Settings;
using RecurrentKif.Gpu.Continual;

namespace RecurrentKif.Integration.Tests;

/// <summary>
/// <c>rkif experiment --config</c> reads a run file as <c>rkif run</c> does (same keys, --set overrides), but runs
/// through the library loop, so what only the pipeline refuses (other methods, adaptive fusion) is accepted there.
/// </summary>
public sealed class ExperimentConfigurationTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"rkif-experiment-{Guid.NewGuid():N}.conf");

    public void Dispose() => File.Delete(_file);

    private const string SmallFile = """
        rkif {
          seed = 7
          method = "ComputeMatchedReplay"
          data-root = "some-root"
          tasks { order = "review,topic", train-per-task = 12, eval-per-task = 6 }
          training { epochs = 2, batch-size = 8, micro-batch-size = 4 }
          kif {
            outer-update = "SeparateAdamW"
            fusion = "Adaptive"
            adaptive-temperature = 0.5
            dynamic-importance = off
          }
        }
        """;

    [Fact]
    public void ASmallFileBindsForTheExperimentWithOverrides()
    {
        File.WriteAllText(_file, SmallFile);
        var run = RunConfigurationLoader.LoadForExperiment(_file, ["rkif.kif.global-merge = on", "rkif.training.epochs = 3"]);
        var c = run.Continual;
        Assert.Equal(ContinualMethod.ComputeMatchedReplay, c.Method);
        Assert.Equal((7L, 3, 8, 4), (c.FineTune.Seed, c.FineTune.Epochs, c.FineTune.BatchSize, c.FineTune.MicroBatchSize));
        Assert.Equal((OuterUpdateMode.SeparateAdamW, FusionRule.Adaptive, 0.5), (c.Kif.OuterUpdate, c.Kif.Fusion, c.Kif.AdaptiveTemperature));
        Assert.Equal((true, true, false, true), (c.Kif.IdentifyKnowledge, c.Kif.GlobalMerge, c.Kif.DynamicImportance, c.Kif.UpdateShared));
        Assert.Equal(("builtin", "review,topic"), (run.TaskSource, run.TaskOrder));
        Assert.Equal(new TaskSubsetSizes(12, 0, 6), run.Sizes);
        Assert.Equal(Path.GetFullPath("some-root"), run.DataRoot);
    }

    [Fact]
    public void ThePipelineRefusesWhatOnlyTheExperimentRuns()
    {
        File.WriteAllText(_file, SmallFile);
        var method = Assert.Throws<RunConfigurationException>(() => RunConfigurationLoader.Load(_file));
        Assert.Contains("rkif.method", method.Message);
        // Adaptive fusion runs in the pipeline too: its pruner weighs by the scores as the library does (FusionWeighting).
        var adaptive = RunConfigurationLoader.Load(_file, ["rkif.method = RecurrentKif"]);
        Assert.Equal(FusionRule.Adaptive, adaptive.Continual.Kif.Fusion);
        // The ablations that live in the task session run in the pipeline too.
        var run = RunConfigurationLoader.Load(_file, ["rkif.method = RecurrentKif", "rkif.kif.fusion = Code", "rkif.kif.identify-knowledge = off"]);
        Assert.False(run.Continual.Kif.IdentifyKnowledge);
    }

    [Fact]
    public void AContradictoryAblationNamesTheFileAndKey()
    {
        File.WriteAllText(_file, "rkif.kif { fusion = \"Adaptive\", update-shared = off }");
        var error = Assert.Throws<RunConfigurationException>(() => RunConfigurationLoader.LoadForExperiment(_file));
        Assert.Contains(_file, error.Message);
        Assert.Contains("update-shared", error.Message);
    }

    [Fact]
    public void TheReferenceAblationKeysAreTheFullMethod()
    {
        File.WriteAllText(_file, "rkif.run-id = \"x\"");
        var kif = RunConfigurationLoader.LoadForExperiment(_file).Continual.Kif;
        var defaults = new KifSettings();
        Assert.Equal((defaults.IdentifyKnowledge, defaults.GlobalMerge, defaults.DynamicImportance, defaults.UpdateShared, defaults.AdaptiveTemperature),
            (kif.IdentifyKnowledge, kif.GlobalMerge, kif.DynamicImportance, kif.UpdateShared, kif.AdaptiveTemperature));
        Assert.Equal((true, false, true, true, 1.0), (kif.IdentifyKnowledge, kif.GlobalMerge, kif.DynamicImportance, kif.UpdateShared, kif.AdaptiveTemperature));
    }
}

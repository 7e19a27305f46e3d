using System.Text.Json;
using Akka.Actor;
using RecurrentKif.Actors.Persistence;
using RecurrentKif.Actors.Settings;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Messages;

namespace RecurrentKif.Actors.Tests.Settings;

/// <summary>
/// hocon/reference.conf is the one home of every default: a run with no file of its own is reference.conf bound, the
/// library records start from the same values, overrides without a file reach the settings, and the Akka settings come
/// from hocon/akka.conf.
/// </summary>
public sealed class ReferenceDefaultsTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"rkif-defaults-{Guid.NewGuid():N}.conf");

    public void Dispose() => File.Delete(_file);

    [Fact]
    public void The_library_records_start_from_reference_conf()
    {
        // JSON, as the fingerprint compares settings: the records hold lists, which record equality compares by reference.
        string bound = JsonSerializer.Serialize(RunConfigurationLoader.Defaults.Continual);
        Assert.Equal(bound, JsonSerializer.Serialize(new ContinualSettings()));
        // Spot checks that the comparison is over real values, not two empty objects.
        Assert.Contains("\"Quantile\":0.8", bound, StringComparison.Ordinal);
        Assert.Contains("\"LearningRate\":0.0003", bound, StringComparison.Ordinal);
    }

    [Fact]
    public void No_file_is_reference_conf_alone()
    {
        File.WriteAllText(_file, "rkif {}");
        var fromEmptyFile = RunConfigurationLoader.LoadForExperiment(_file);
        var withoutFile = RunConfigurationLoader.LoadForExperiment(null);
        Assert.Equal(fromEmptyFile.Fingerprint(), withoutFile.Fingerprint());
        Assert.Equal(RunConfigurationLoader.Defaults.Fingerprint(), withoutFile.Fingerprint());
        Assert.Equal(fromEmptyFile.Observability, withoutFile.Observability);
        Assert.Equal(Path.GetFullPath(RunConfigurationLoader.ReferencePath), withoutFile.SourceFile);
        Assert.Equal(("default", "builtin", "builtin-short"), (withoutFile.RunId, withoutFile.Model, withoutFile.TaskOrder));
    }

    [Fact]
    public void Overrides_without_a_file_reach_the_settings_and_change_nothing_else()
    {
        var run = RunConfigurationLoader.LoadForExperiment(null, ["rkif.kif.quantile = 0.3", "rkif.training.learning-rate = 0.002"]);
        Assert.Equal(0.3, run.Continual.Kif.Quantile);
        Assert.Equal(0.002, run.Continual.Optimizer.LearningRate);
        var defaults = RunConfigurationLoader.Defaults.Continual;
        var expected = defaults with { Kif = defaults.Kif with { Quantile = 0.3 }, Optimizer = defaults.Optimizer with { LearningRate = 0.002 } };
        Assert.Equal(JsonSerializer.Serialize(expected), JsonSerializer.Serialize(run.Continual));
    }

    [Fact]
    public void A_bad_override_without_a_file_names_the_key()
    {
        var error = Assert.Throws<RunConfigurationException>(() => RunConfigurationLoader.LoadForExperiment(null, ["rkif.kif.quantile = 1.5"]));
        Assert.Contains("rkif.kif.quantile", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_akka_settings_come_from_hocon_akka_conf()
    {
        Assert.True(File.Exists(ActorSystemFactory.AkkaSettingsPath), ActorSystemFactory.AkkaSettingsPath);
        var akka = ActorSystemFactory.AkkaSettings;
        Assert.Contains(nameof(RunEventSerializer), akka.GetString("akka.actor.serializers.rkif-events"), StringComparison.Ordinal);
        Assert.Equal(1, akka.GetInt($"{ActorSystemFactory.ComputeDispatcher}.dedicated-thread-pool.thread-count"));
        using var system = ActorSystem.Create("defaults-test", akka);
        Assert.IsType<RunEventSerializer>(system.Serialization.FindSerializerForType(typeof(TaskStarted)));
        Assert.Equal("INFO", system.Settings.LogLevel);
        Assert.Contains(system.Settings.Loggers, l => l.Contains(nameof(SerilogAkkaLogger), StringComparison.Ordinal));
    }
}

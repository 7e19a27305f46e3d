using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using RecurrentKif.Actors;
using RecurrentKif.Actors.Settings;
using RecurrentKif.Actors.Telemetry;
using RecurrentKif.Gpu.TrainingLogs;

namespace RecurrentKif.Integration.Tests;

/// <summary>The "RecurrentKif" meter's instruments move as a run trains, commits and evaluates (docs/observability.md §4).</summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task ARunMovesTheMeterCounters()
    {
        using var tiny = new TinyRun();
        var run = RunConfigurationLoader.Load(tiny.ConfigPath);
        var sums = new ConcurrentDictionary<string, long>();
        var last = new ConcurrentDictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) => { if (instrument.Meter.Name == RkifMetrics.MeterName) l.EnableMeasurementEvents(instrument); };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => sums.AddOrUpdate(instrument.Name, value, (_, old) => old + value));
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => last[instrument.Name] = value);
        listener.Start();

        var result = await RunHost.RunAsync(run);
        Assert.True(result.Succeeded, result.Error);

        var lines = TrainerLogFile.Read(Path.Combine(run.RunFolder, JsonlTrainingLog.FileName));
        var steps = lines.Where(l => l.Event == "step").ToList();
        Assert.Equal(steps.Count, sums["rkif.training.steps"]);
        Assert.Equal(steps.Sum(l => l.Json.GetProperty("tokens").GetInt64()), sums["rkif.training.tokens"]);
        Assert.Equal(lines.Count(l => l.Event == "fusion"), sums["rkif.training.fusions"]);
        Assert.Equal(3, sums["rkif.tasks.trained"]);
        Assert.Equal(3, sums["rkif.tasks.evaluated"]);
        // A commit every cycle of 2 steps, except at a task's last step (the final adapter is saved instead).
        Assert.Equal(steps.GroupBy(l => l.Task).Sum(g => (g.Count() - 1) / 2), sums["rkif.checkpoints.committed"]);
        Assert.Equal(steps[^1].Json.GetProperty("loss").GetDouble(), last["rkif.training.loss"]);
        Assert.False(sums.ContainsKey("rkif.journal.write_failures"));
    }
}

using System.Text.Json;
using RecurrentKif.Actors;
using RecurrentKif.Actors.Settings;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Tests.TrainingLogs;
using RecurrentKif.Gpu.TrainingLogs;

namespace RecurrentKif.Integration.Tests;

/// <summary>
/// What `rkif run` leaves beside its reports (docs/observability.md): trainer_log.jsonl with every step exactly once,
/// even across a SIGKILL and a NaN rollback, agreeing with report.json's loss curves and the journal's mask shares;
/// TensorBoard events when switched on; the rolling compact-JSON log file.
/// </summary>
public sealed class TrainingLogsTests
{
    [Fact]
    public async Task KilledAndRolledBackRunLogsEachStepOnceAsReportJsonHasIt()
    {
        using var tiny = new TinyRun("logging { tensorboard = on }");
        // Killed right after step 5 of the first task (commit at step 4). Resumed, its 3rd outer step (the cycle ending
        // at step 4 of the second task, the first with a memory) gets a NaN loss and is rolled back to the commit at
        // step 2 while the lines of steps 3 and 4 are already in the log.
        var killed = tiny.Run("step:5");
        Assert.True(killed.ExitCode != 0, killed.Output);
        var resumed = tiny.Run("outer-nan:3");
        Assert.True(resumed.ExitCode == 0, resumed.Output);
        Assert.Contains("Rolled back to the commit at step 2", resumed.Output);

        var report = ContinualReportWriter.ReadJson(Path.Combine(tiny.RunFolder, "report.json"))[0];
        var state = await RunHost.ReadStateAsync(RunConfigurationLoader.Load(tiny.ConfigPath));
        var lines = TrainerLogFile.Read(Path.Combine(tiny.RunFolder, JsonlTrainingLog.FileName));
        Assert.Equal(3, report.Training.Count);
        for (int k = 0; k < report.Training.Count; k++)
        {
            var steps = lines.Where(l => l.Task == k && l.Event == "step").ToList();
            var curve = report.Training[k].Losses;
            Assert.Equal(Enumerable.Range(1, curve.Count), steps.Select(l => l.Step));   // each step once, in order
            Assert.Equal(curve, steps.Select(l => l.Json.GetProperty("loss").GetDouble()));
            Assert.All(steps, l => Assert.Equal(report.Training[k].Task, l.Json.GetProperty("task_name").GetString()));
            Assert.All(steps, l => Assert.True(l.Json.GetProperty("grad_norm").GetDouble() > 0));

            var fusions = lines.Where(l => l.Task == k && l.Event == "fusion").ToList();
            var shares = state.Trained[k].Summary.FusionShares;
            Assert.Equal(shares.Count, fusions.Count);
            for (int f = 0; f < shares.Count; f++)
                Assert.Equal((double)shares[f].Both / (shares[f].InOnly + shares[f].OutOnly + shares[f].Both + shares[f].Neither),
                    fusions[f].Json.GetProperty("both").GetDouble(), 12);
        }
        Assert.True(lines.Count(l => l.Event == "fusion") > 0, "the run should have fused (tasks 1 and 2 have a memory)");

        var events = Directory.GetFiles(Path.Combine(tiny.RunFolder, TensorBoardTrainingLog.FolderName), "events.out.tfevents.*");
        Assert.NotEmpty(events);
        var losses = events.SelectMany(TfEvents.Scalars).Where(s => s.Tag == "train/loss").ToList();
        Assert.Equal(report.Training.Sum(t => t.Losses.Count), losses.Select(s => s.Step).Distinct().Count());

        var logFiles = Directory.GetFiles(Path.Combine(tiny.RunFolder, "logs"), "rkif-*.clef");
        Assert.NotEmpty(logFiles);
        var logEvents = logFiles.SelectMany(File.ReadAllLines).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.All(logEvents, e => Assert.True(e.TryGetProperty("@t", out _)));
        Assert.Contains(logEvents, e => e.TryGetProperty("@mt", out var template) && template.GetString()!.StartsWith("Task {Index} {Task} trained", StringComparison.Ordinal));
    }

    [Fact]
    public void TrainCommandWritesTheStepLogIntoTheAdapterFolder()
    {
        string root = Directory.CreateTempSubdirectory("rkif-train-log").FullName;
        try
        {
            string adapter = Path.Combine(root, "adapter");
            var train = RkifProcess.Run(
                $"train --model \"{Path.Combine(TinyRun.SharedRoot(), "models", "stories260k")}\" --data-root \"{Path.Combine(root, "data")}\" " +
                $"--device cpu --threads 2 --task review --train-examples 8 --eval-examples 2 --epochs 2 --batch-size 4 --micro-batch-size 4 " +
                $"--warmup-steps 1 --cutoff 512 --prompt-template Plain --tensorboard --out \"{adapter}\"");
            Assert.True(train.ExitCode == 0, train.Output);
            var steps = TrainerLogFile.Steps(Path.Combine(adapter, JsonlTrainingLog.FileName));
            Assert.Equal([1, 2, 3, 4], steps.Select(l => l.Step));
            Assert.All(steps, l => Assert.Equal(4, l.Json.GetProperty("total_steps").GetInt32()));
            var events = Directory.GetFiles(Path.Combine(adapter, TensorBoardTrainingLog.FolderName), "events.out.tfevents.*");
            Assert.Equal(4, events.SelectMany(TfEvents.Scalars).Count(s => s.Tag == "train/loss"));
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }
}

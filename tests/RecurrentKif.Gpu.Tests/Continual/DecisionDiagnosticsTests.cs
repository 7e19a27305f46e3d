using RecurrentKif.Gpu.Checkpoints;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Tests.Data;

namespace RecurrentKif.Gpu.Tests.Continual;

public sealed class DecisionDiagnosticsTests
{
    private static readonly ContinualSettings Settings = TinyTasks.Settings(ContinualMethod.SeqLora) with { EvalEvery = 2 };

    private static TaskSession Start(Models.Stories260kHolder holder)
    {
        var task = TinyTasks.Load("sst-2");
        var trainer = new TaskTrainer(holder.Model, holder.Adapter, new ExampleEncoder(holder.Tokenizer, Settings.FineTune.Cutoff), Settings);
        return trainer.Start(new TaskPlan("sst-2", task.Train, [], task.Dev, Fuse: false, TrackWholeTaskImportance: false, Seed: 9));
    }

    [Fact]
    public void EveryStepRecordsItsFirstTokenLossAndEveryValidationItsFirstTokenAccuracy()
    {
        using var holder = new Models.Stories260kHolder(Settings.Lora);
        using var session = Start(holder);

        TaskTrainer.Continue(session);
        var stats = session.Finish();

        Assert.Equal(stats.Losses.Count, stats.FirstTokenLosses.Count);
        Assert.All(stats.FirstTokenLosses, l => Assert.True(double.IsFinite(l) && l > 0));
        Assert.Equal([2, 4, 6, 8], stats.Validations.Select(v => v.Step));
        Assert.All(stats.Validations, v => Assert.InRange(v.FirstTokenAccuracy, 0, 1));
        Assert.Equal(stats.BestValidationLoss!.Value, Math.Min(stats.Validations.Min(v => v.Loss), stats.LastValidationLoss!.Value), 6);
    }

    [Fact]
    public void ACheckpointKeepsTheDiagnostics()
    {
        using var folder = new TempDirectory();
        using var holder = new Models.Stories260kHolder(Settings.Lora);
        using var session = Start(holder);
        for (int i = 0; i < 4; i++)
        {
            session.InnerStep();
            if (session.ValidationDue) session.ValidateCandidate();
        }
        var checkpoint = TaskSessionCheckpoint.Save(session, Path.Combine(folder.Path, "s.ckpt"));

        using var restored = Start(holder);
        TaskSessionCheckpoint.Restore(restored, checkpoint);

        Assert.Equal(session.FirstTokenLosses, restored.FirstTokenLosses);
        Assert.Equal(session.Validations, restored.Validations);
    }
}

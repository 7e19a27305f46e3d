using RecurrentKif.Gpu.Checkpoints;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Tests.Data;
using RecurrentKif.Gpu.Tests.Models;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Tests.Continual;

/// <summary>
/// The library-level resume guarantee (docs/architecture.md §7): Save → Restore → Continue of a Recurrent-KIF session
/// ends with the same adapter, losses and fusions, bit for bit, as the same session run without a break.
/// </summary>
public sealed class TaskSessionResumeTests
{
    private static readonly ContinualSettings Settings = TinyTasks.Settings(ContinualMethod.RecurrentKif) with { EvalEvery = 2 };

    private static TaskPlan Plan()
    {
        var task = TinyTasks.Load("sst-2");
        var memory = TinyTasks.Load("cb").Train.Take(4).ToList();
        return new TaskPlan("sst-2", task.Train, memory, task.Dev, Fuse: true, TrackWholeTaskImportance: false, Seed: 9);
    }

    private static TaskTrainer Trainer(Stories260kHolder holder) =>
        new(holder.Model, holder.Adapter, new ExampleEncoder(holder.Tokenizer, Settings.FineTune.Cutoff), Settings);

    [Theory]
    [InlineData(3)]   // mid-cycle (Q = 2): the inner tracker holds one update
    [InlineData(4)]   // right after a fusion and a validation candidate
    public void SaveRestoreContinueEqualsAnUninterruptedRun(int stopAfter)
    {
        var plan = Plan();
        using var straight = new Stories260kHolder(Settings.Lora);
        var expected = Trainer(straight).Train(plan);
        var expectedTheta = straight.Adapter.CloneParameters();

        using var folder = new TempDirectory();
        CheckpointReference checkpoint;
        using (var first = new Stories260kHolder(Settings.Lora))
        using (var session = Trainer(first).Start(plan))
        using (var stop = new CancellationTokenSource())
        {
            // The loop checks the token before each step: it stops right after step stopAfter's cycle end and validation.
            Assert.Throws<OperationCanceledException>(() =>
                TaskTrainer.Continue(session, p => { if (p.Step == stopAfter) stop.Cancel(); }, stop.Token));
            Assert.Equal(stopAfter, session.Step);
            checkpoint = TaskSessionCheckpoint.Save(session, Path.Combine(folder.Path, "session.ckpt"));
        }

        // Another initial adapter and RNG seed: everything the rest of the task depends on must come from the checkpoint.
        using var second = new Stories260kHolder(Settings.Lora, seed: 77);
        using var resumed = Trainer(second).Start(plan);
        TaskSessionCheckpoint.Restore(resumed, checkpoint);
        TaskTrainer.Continue(resumed);
        var actual = resumed.Finish();

        Assert.Equal(expected.Losses, actual.Losses);
        Assert.Equal(expected.FusionShares, actual.FusionShares);
        Assert.Equal(expected.Fusions, actual.Fusions);
        Assert.Equal(expected.SelectedStep, actual.SelectedStep);
        var theta = second.Adapter.Parameters;
        Assert.Equal(expectedTheta.Count, theta.Count);
        for (int i = 0; i < theta.Count; i++)
            Assert.True(theta[i].detach().eq(expectedTheta[i]).all().item<bool>(), $"LoRA tensor {i} differs after resuming from step {stopAfter}");
    }
}

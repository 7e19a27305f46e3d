using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.TrainingLogs;

namespace RecurrentKif.Gpu.Tests.TrainingLogs;

/// <summary>TensorBoard events through TorchSharp's SummaryWriter: written at flush, readable as TFRecord events.</summary>
public sealed class TensorBoardTrainingLogTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("rkif-tb").FullName;

    [Fact]
    public void FlushWritesTheScalarsOfEveryStepAndFusion()
    {
        using (var logs = new TrainingLogSet(_folder, tensorBoard: true))
        {
            logs.ResumeAt(0, 0);
            for (int s = 1; s <= 4; s++)
                logs.Step(new StepLogEntry(0, "t", s, 4, 1, 2.0 / s, double.NaN, 1e-3, 0.25, 10, 100, s));
            logs.Fusion(new FusionLogEntry(0, "t", 4, 2, new MaskShares(1, 1, 1, 1)));
            logs.ResumeAt(1, 0);
            logs.Step(new StepLogEntry(1, "u", 1, 2, 0, 0.5, 0.4, 1e-3, 0.25, 10, 100, 1));
            logs.Flush();
        }
        string file = Assert.Single(Directory.GetFiles(Path.Combine(_folder, TensorBoardTrainingLog.FolderName), "events.out.tfevents.*"));
        var scalars = TfEvents.Scalars(file);
        Assert.Equal([1, 2, 3, 4, 5], scalars.Where(s => s.Tag == "train/loss").Select(s => s.Step));   // task 1 step 1 = global 5
        Assert.Equal(2.0f, scalars.First(s => s.Tag == "train/loss").Value);
        Assert.Equal(0.25f, scalars.Single(s => s.Tag == "fusion/both").Value);
        Assert.Single(scalars, s => s.Tag == "train/first_token_loss");   // NaN is left out, not written
        Assert.Contains(scalars, s => s.Tag == "train/grad_norm" && s.Value == 0.25f);
    }

    [Fact]
    public void NothingIsWrittenBeforeAFlushAndAResumeDropsWhatWaited()
    {
        using var logs = new TensorBoardTrainingLog(_folder, (_, step) => step);
        logs.Step(new StepLogEntry(0, "t", 1, 4, 0, 1, 1, 1e-3, 1, 10, 100, 1));
        logs.ResumeAt(0, 0);
        logs.Step(new StepLogEntry(0, "t", 1, 4, 0, 3, 1, 1e-3, 1, 10, 100, 1));
        logs.Flush();
        var loss = TfEvents.Scalars(Directory.GetFiles(logs.Folder, "events.out.tfevents.*").Single()).Where(s => s.Tag == "train/loss").ToList();
        Assert.Equal(3f, Assert.Single(loss).Value);
    }

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}

using System.Text.Json;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.TrainingLogs;

namespace RecurrentKif.Gpu.Tests.TrainingLogs;

/// <summary>trainer_log.jsonl: one line per step and per fusion, and a resume that leaves each step exactly once.</summary>
public sealed class JsonlTrainingLogTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("rkif-jsonl").FullName;

    private static StepLogEntry Step(int task, int step, int total = 6, double loss = 1.0) =>
        new(task, $"task{task}", step, total, (step - 1) / 2 + 1, loss, double.NaN, 1e-3, 0.5, 100, 1234.5, step * 0.1);

    [Fact]
    public void WritesOneObjectPerStepAndFusionWithAGlobalStepAcrossTasks()
    {
        using (var log = new JsonlTrainingLog(_folder))
        {
            log.ResumeAt(0, 0);
            for (int s = 1; s <= 6; s++) log.Step(Step(0, s, loss: 1.0 / s));
            log.Fusion(new FusionLogEntry(0, "task0", 2, 1, new MaskShares(10, 20, 30, 40)));
            log.ResumeAt(1, 0);
            log.Step(Step(1, 1, total: 4));
        }
        var lines = TrainerLogFile.Read(Path.Combine(_folder, JsonlTrainingLog.FileName));
        Assert.Equal(8, lines.Count);
        var first = lines[0].Json;
        Assert.Equal("step", first.GetProperty("event").GetString());
        Assert.Equal(1.0, first.GetProperty("loss").GetDouble());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("first_token_loss").ValueKind);   // NaN is not JSON
        Assert.Equal(0.5, first.GetProperty("grad_norm").GetDouble());
        Assert.Equal(1e-3, first.GetProperty("lr").GetDouble());
        Assert.Equal(100, first.GetProperty("tokens").GetInt64());
        Assert.Equal(1.0 / 3, lines[2].Json.GetProperty("loss").GetDouble());   // doubles round-trip exactly
        var fusion = lines[6].Json;
        Assert.Equal("fusion", fusion.GetProperty("event").GetString());
        Assert.Equal(0.1, fusion.GetProperty("in_only").GetDouble(), 12);
        Assert.Equal(0.4, fusion.GetProperty("neither").GetDouble(), 12);
        Assert.Equal(100, fusion.GetProperty("scalars").GetInt64());
        Assert.Equal(7, lines[7].Json.GetProperty("global_step").GetInt32());   // 6 steps of task 0, then step 1
    }

    [Fact]
    public void ResumeDropsLinesPastTheCommitAndATornLastLine()
    {
        string path = Path.Combine(_folder, JsonlTrainingLog.FileName);
        using (var log = new JsonlTrainingLog(_folder))
        {
            log.ResumeAt(0, 0);
            for (int s = 1; s <= 6; s++) log.Step(Step(0, s));
            log.ResumeAt(1, 0);
            for (int s = 1; s <= 5; s++) log.Step(Step(1, s));
            log.Fusion(new FusionLogEntry(1, "task1", 4, 2, new MaskShares(1, 1, 1, 1)));
            log.Flush();
        }
        File.AppendAllText(path, """{"event":"step","task":1,"st""");   // a kill in the middle of a write

        using (var log = new JsonlTrainingLog(_folder))
        {
            log.ResumeAt(1, 4);   // the newest commit of task 1 is step 4: steps 5.. and the torn line go
            log.Step(Step(1, 5));
            log.Step(Step(1, 6));
        }
        var lines = TrainerLogFile.Read(path);
        Assert.True(File.ReadAllText(path).EndsWith('\n'));
        Assert.Equal([1, 2, 3, 4, 5, 6], lines.Where(l => l.Task == 1 && l.Event == "step").Select(l => l.Step));
        Assert.Equal(6, lines.Count(l => l.Task == 0));
        Assert.Single(lines, l => l.Event == "fusion");
        Assert.Equal(File.ReadAllLines(path).Length, lines.Count);   // every line complete JSON
    }

    [Fact]
    public void ResumeFromTheTaskStartDropsTheWholeTaskAndEveryLaterOne()
    {
        using (var log = new JsonlTrainingLog(_folder))
        {
            log.ResumeAt(0, 0);
            for (int s = 1; s <= 3; s++) log.Step(Step(0, s));
            log.ResumeAt(1, 0);
            log.Step(Step(1, 1));
            log.Flush();
            log.ResumeAt(0, 2);
        }
        var lines = TrainerLogFile.Read(Path.Combine(_folder, JsonlTrainingLog.FileName));
        Assert.Equal([1, 2], lines.Select(l => l.Step));
        Assert.All(lines, l => Assert.Equal(0, l.Task));
    }

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}

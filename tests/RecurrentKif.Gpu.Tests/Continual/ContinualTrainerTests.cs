using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Lora;
using RecurrentKif.Gpu.Tests.Models;
using RecurrentKif.Gpu.Tokenization;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Tests.Continual;

public sealed class ContinualTrainerTests
{
    private static readonly ContinualTask[] TwoTasks = [TinyTasks.Load("sst-2", train: 8, eval: 4), TinyTasks.Load("cb", train: 8, eval: 4)];

    private static ContinualRunResult Run(ContinualMethod method, ContinualTask[] tasks, out IReadOnlyList<Tensor> theta)
    {
        using var model = Stories260k.FromHfFolder();
        var tokenizer = TokenizerLoader.FromModelFolder(SharedFixtures.Stories260k);
        var result = new ContinualTrainer(model, tokenizer, TinyTasks.Settings(method)).Run(tasks);
        theta = model.named_parameters().Where(p => p.name.Contains(".lora_")).Select(p => p.parameter.detach().clone()).ToList();
        return result;
    }

    [Theory]
    [InlineData(ContinualMethod.SeqLora)]
    [InlineData(ContinualMethod.Replay)]
    [InlineData(ContinualMethod.StaticImportance)]
    public void SequentialMethodsFillTheWholeMatrix(ContinualMethod method)
    {
        var result = Run(method, TwoTasks, out _);
        Assert.True(result.Accuracy.IsComplete());
        Assert.Equal(2, result.Tasks.Count);
        Assert.All(result.Tasks, t => Assert.True(t.InnerSteps > 0));
        if (method == ContinualMethod.StaticImportance) Assert.Single(result.Tasks[1].FusionShares); // one merge at the end of task 2
        else Assert.All(result.Tasks, t => Assert.Empty(t.FusionShares));
    }

    [Fact]
    public void ReplayTrainsOnTheTaskPlusTheMemory()
    {
        var seq = Run(ContinualMethod.SeqLora, TwoTasks, out _);
        var replay = Run(ContinualMethod.Replay, TwoTasks, out _);
        // cb: 8 examples → 2 steps/epoch; with sst-2's 25 % memory (2 examples) mixed in: 10 → 2 steps/epoch too,
        // but the tokens seen grow with the extra examples.
        Assert.True(replay.Tasks[1].TrainingTokens > seq.Tasks[1].TrainingTokens);
        Assert.Equal(seq.Tasks[0].TrainingTokens, replay.Tasks[0].TrainingTokens); // no memory before the first task
    }

    [Fact]
    public void MultiTaskTrainsOnceAndFillsOnlyTheFinalRow()
    {
        var result = Run(ContinualMethod.MultiTask, TwoTasks, out _);
        Assert.Single(result.Tasks);
        Assert.False(double.IsNaN(result.Accuracy[1, 0]));
        Assert.False(double.IsNaN(result.Accuracy[1, 1]));
        Assert.True(double.IsNaN(result.Accuracy[0, 0]));
    }

    [Fact]
    public void RecurrentKifOnASingleTaskEqualsSeqLora()
    {
        ContinualTask[] one = [TwoTasks[0]];
        var kif = Run(ContinualMethod.RecurrentKif, one, out var kifTheta);
        var seq = Run(ContinualMethod.SeqLora, one, out var seqTheta);
        Assert.Equal(0, kif.Tasks[0].Fusions);
        Assert.All(kifTheta.Zip(seqTheta), p => Assert.True(p.First.eq(p.Second).all().item<bool>()));
        Assert.Equal(seq.Accuracy[0, 0], kif.Accuracy[0, 0]);
    }
}

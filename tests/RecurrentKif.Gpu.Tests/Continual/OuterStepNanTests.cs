using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Lora;
using RecurrentKif.Gpu.Models;
using RecurrentKif.Gpu.Runtime;
using RecurrentKif.Gpu.Tests.Models;
using RecurrentKif.Gpu.Tokenization;
using RecurrentKif.Gpu.Training;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Tests.Continual;

public sealed class OuterStepNanTests
{
    // No dropout: the only randomness left is the data order and the memory draw, so two sessions can be compared step by step.
    private static readonly ContinualSettings Settings = TinyTasks.Settings(ContinualMethod.RecurrentKif) with
    {
        SelectBestByValidationLoss = false,
        Lora = new LoraSettings { Dropout = 0 },
    };

    private static (NanOnDemandModel Model, TaskSession Session) Start()
    {
        var model = new NanOnDemandModel(Stories260k.FromHfFolder());
        var tokenizer = TokenizerLoader.FromModelFolder(SharedFixtures.Stories260k);
        var task = TinyTasks.Load("sst-2");
        var memory = TinyTasks.Load("cb").Train.Take(4).ToList();
        TorchRuntime.Seed(5);
        var adapter = model.AttachLora(Settings.Lora);
        var trainer = new TaskTrainer(model, adapter, new ExampleEncoder(tokenizer, Settings.FineTune.Cutoff), Settings);
        return (model, trainer.Start(new TaskPlan("sst-2", task.Train, memory, [], Fuse: true, TrackWholeTaskImportance: false, Seed: 9)));
    }

    private static void StepsToCycleEnd(TaskSession session)
    {
        do session.InnerStep(); while (!session.CycleDue);
    }

    private static bool Same(IReadOnlyList<Tensor> a, IReadOnlyList<Tensor> b) => a.Zip(b).All(p => p.First.eq(p.Second).all().item<bool>());

    [Fact]
    public void ANonFiniteOuterLossThrowsAndChangesNeitherThetaNorOptimizerNorOuterImportance()
    {
        var (model, session) = Start();
        var (cleanModel, clean) = Start();
        using (model)
        using (session)
        using (cleanModel)
        using (clean)
        {
            StepsToCycleEnd(session);
            StepsToCycleEnd(clean);
            var before = session.SnapshotWeights();

            model.Poisoned = true;
            var error = Assert.Throws<NonFiniteLossException>(session.OuterStep);
            model.Poisoned = false;

            Assert.Contains("outer step", error.Message);
            Assert.Equal(session.Step, error.Step);
            Assert.True(Same(before, session.SnapshotWeights()), "θ must not move");
            Assert.Equal(0, session.OuterStepsTaken);
            Assert.Null(session.ImportanceScores());   // the outer tracker saw no update
            // The optimizer state is untouched: the next inner step is the one a session without the failed step takes.
            session.InnerStep();
            clean.InnerStep();
            Assert.True(Same(session.SnapshotWeights(), clean.SnapshotWeights()), "the AdamW moments and step count must be those of a session without the failed step");
        }
    }

    [Fact]
    public void ThePlainLoopSurfacesANonFiniteOuterLossAsTheInnerOneDoes()
    {
        var (model, session) = Start();
        using (model)
        using (session)
        {
            StepsToCycleEnd(session);
            model.Poisoned = true;
            Assert.Throws<NonFiniteLossException>(() => TaskTrainer.RunCycleEnd(session));
        }
    }
}

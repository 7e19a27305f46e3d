using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Lora;
using RecurrentKif.Gpu.Runtime;
using RecurrentKif.Gpu.Tests.Models;
using RecurrentKif.Gpu.Tokenization;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Tests.Continual;

/// <summary>
/// The ablations that change the schedule (− DIE, + GM) and the compute-matched control, on one tiny task:
/// 16 examples, batch 4, 2 epochs → 8 inner steps; Q = 2 → 4 cycles of 2 outer steps on a 4-example memory.
/// </summary>
public sealed class AblationTrainingTests
{
    private sealed record Outcome(TaskTrainingStats Stats, int OuterImportanceUpdates, IReadOnlyList<Tensor> Theta);

    private static ContinualSettings Settings(Func<KifSettings, KifSettings>? change = null)
    {
        var settings = TinyTasks.Settings(ContinualMethod.RecurrentKif) with { SelectBestByValidationLoss = false };
        return change is null ? settings : settings with { Kif = change(settings.Kif) };
    }

    private static Outcome Train(ContinualSettings settings, bool fuse = true, bool replayWithoutFusion = false)
    {
        using var model = Stories260k.FromHfFolder();
        var tokenizer = TokenizerLoader.FromModelFolder(SharedFixtures.Stories260k);
        var task = TinyTasks.Load("sst-2");
        // Memory from sst-2's next-shortest examples: cb's are cut before their answer at this cutoff, which would
        // leave the outer loss (and so the outer importance) at zero.
        var memory = TinyTasks.Load("sst-2", train: 20).Train.Skip(16).ToList();
        TorchRuntime.Seed(5);
        var adapter = LoraAdapter.Attach(model, settings.Lora);
        var trainer = new TaskTrainer(model, adapter, new ExampleEncoder(tokenizer, settings.FineTune.Cutoff), settings);
        var plan = new TaskPlan("sst-2", task.Train, memory, task.Dev, fuse, false, Seed: 9) { ReplayWithoutFusion = replayWithoutFusion };
        using var session = trainer.Start(plan);
        TaskTrainer.Continue(session);
        int outerUpdates = session.OuterImportanceUpdates;
        return new Outcome(session.Finish(), outerUpdates, adapter.CloneParameters());
    }

    private static bool SameWeights(IReadOnlyList<Tensor> a, IReadOnlyList<Tensor> b) => a.Zip(b).All(p => p.First.eq(p.Second).all().item<bool>());

    [Fact]
    public void WithoutDynamicImportanceTheOuterTrackerStopsAfterTheFirstCycle()
    {
        var full = Train(Settings());
        var frozen = Train(Settings(k => k with { DynamicImportance = false }));
        Assert.Equal(8, full.OuterImportanceUpdates);     // 4 cycles × 2 outer steps
        Assert.Equal(2, frozen.OuterImportanceUpdates);   // the first cycle's 2 only
        // The outer steps still train and every cycle still fuses.
        Assert.Equal(8, frozen.Stats.OuterSteps);
        Assert.Equal(4, frozen.Stats.Fusions);
        Assert.All(full.Stats.FusionShares, s => Assert.True(s.OutOnly + s.Both > 0, "the memory must have measurable importance"));
        Assert.False(SameWeights(full.Theta, frozen.Theta), "frozen historical importance must change later masks");
    }

    [Fact]
    public void GlobalMergeFusesOnceAtTheTaskEndWithEveryCyclesOuterSteps()
    {
        var recurrent = Train(Settings());
        var global = Train(Settings(k => k with { GlobalMerge = true }));
        Assert.Equal(8, global.Stats.InnerSteps);
        Assert.Equal(1, global.Stats.Fusions);
        Assert.Equal(recurrent.Stats.OuterSteps, global.Stats.OuterSteps); // 8 = 4 cycles' worth, all at the end
        Assert.Equal(8, global.OuterImportanceUpdates);
        Assert.False(SameWeights(recurrent.Theta, global.Theta));

        // Q = 3: ⌊8 / 3⌋ = 2 cycles' worth of outer steps, still one merge.
        var remainder = Train(Settings(k => k with { GlobalMerge = true, InnerSteps = 3 }));
        Assert.Equal(1, remainder.Stats.Fusions);
        Assert.Equal(4, remainder.Stats.OuterSteps);
    }

    [Fact]
    public void GlobalMergeIsTheOnlyChangeToTheInnerTrajectoryBeforeTheTaskEnd()
    {
        // Before its single merge, + GM is plain training plus outer steps at the end: with the Frozen outer mode
        // (θ untouched by outer steps) and the merge weights of − KI (θ_ref + ½τ_in + ½·0), the result is
        // θ_start + ½ (θ_plain − θ_start), where θ_plain is plain fine-tuning.
        var frozenMode = Settings(k => k with { GlobalMerge = true, OuterUpdate = OuterUpdateMode.Frozen, IdentifyKnowledge = false });
        var merged = Train(frozenMode);
        var plain = Train(Settings(), fuse: false);
        using var model = Stories260k.FromHfFolder();
        TorchRuntime.Seed(5);
        var start = LoraAdapter.Attach(model, frozenMode.Lora).CloneParameters();
        for (int i = 0; i < start.Count; i++)
        {
            var expected = start[i] + 0.5 * (plain.Theta[i] - start[i]);
            Assert.True(merged.Theta[i].allclose(expected, rtol: 1e-4, atol: 1e-6), $"tensor {i} is not the half-way merge");
        }
    }

    [Fact]
    public void ComputeMatchedReplayTakesRecurrentKifsStepsWithoutFusing()
    {
        var kif = Train(Settings());
        var control = Train(Settings(), fuse: false, replayWithoutFusion: true);
        var plain = Train(Settings(), fuse: false);
        Assert.Equal(kif.Stats.InnerSteps, control.Stats.InnerSteps);
        Assert.Equal(kif.Stats.OuterSteps, control.Stats.OuterSteps);
        Assert.Equal(8, control.Stats.OuterSteps);
        Assert.Equal(0, control.Stats.Fusions);
        Assert.Equal(0, control.OuterImportanceUpdates);
        Assert.False(SameWeights(control.Theta, kif.Theta), "the control does not fuse");
        Assert.False(SameWeights(control.Theta, plain.Theta), "the control's outer steps train on the memory");
    }

    [Fact]
    public void ThePlannerMakesComputeMatchedReplayAControlNotAFusingRun()
    {
        ContinualTask[] tasks = [TinyTasks.Load("sst-2"), TinyTasks.Load("cb")];
        var plan = new TaskPlanner(tasks, TinyTasks.Settings(ContinualMethod.ComputeMatchedReplay)).Plan(1);
        Assert.False(plan.Fuse);
        Assert.True(plan.ReplayWithoutFusion);
        Assert.NotEmpty(plan.Memory);
        Assert.Equal(tasks[1].Train.Count, plan.Train.Count); // memory is replayed by outer steps, not mixed in
        Assert.False(new TaskPlanner(tasks, TinyTasks.Settings(ContinualMethod.RecurrentKif)).Plan(1).ReplayWithoutFusion);
    }
}

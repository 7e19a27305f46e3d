using System.Diagnostics;
using System.Text.Json.Nodes;
using RecurrentKif.Actors.Pipeline;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Lora;
using RecurrentKif.Gpu.Models;
using RecurrentKif.Gpu.Runtime;
using RecurrentKif.Gpu.Tokenization;
using RecurrentKif.Gpu.Training;
using static TorchSharp.torch;

namespace RecurrentKif.Bench;

/// <summary>
/// Section 3: Recurrent-KIF against SeqLoRA on the same task (the second built-in task, whose replay memory holds
/// the first one's examples), in one process, alternating the two methods from the same starting θ and seed. The
/// outer steps add M_out / Q = 4 / 8 = 50 % optimizer steps (outer batch = batch), so the target is ≤ 1.55: at most
/// 5 % for importance, masks, fusion and the copies of θ. The Recurrent-KIF runs also time each cycle-end stage.
/// </summary>
public static class ContinualCostBenchmark
{
    public static ContinualSettings Settings(int epochs) => new()
    {
        FineTune = new FineTuneSettings { Epochs = epochs, BatchSize = 8, MicroBatchSize = 8, Cutoff = 256, KeepAnswer = true },
        Optimizer = new OptimizerSettings { LearningRate = 3e-3, WarmupSteps = 2 },
        Kif = new KifSettings { OuterBatchSize = 8, OuterUpdate = OuterUpdateMode.SharedInnerAdam },
        MemoryRatio = 0.1,
        ValidationPerTask = 8,
        EvalEvery = 8,
    };

    public static IReadOnlyList<ContinualTask> Tasks(string dataRoot, ContinualSettings settings) =>
        BenchmarkTaskLoader.Load(TaskCatalog.EnsureBuiltInTasks(dataRoot), TaskOrders.Resolve("builtin-short"),
            new TaskSubsetSizes(64, 16, 16), settings.FineTune.Seed);

    /// <summary>Seconds per stage of one task's training, summed over the task.</summary>
    private sealed class StageTimes
    {
        public double Total, Inner, Outer, Snapshot, Scores, Masks, Fusion, Validation;
        public int Cycles, InnerSteps, OuterSteps;
    }

    public static JsonObject RunChild(ChildArguments arguments)
    {
        var device = BenchDevice.Resolve(arguments);
        int repeats = arguments.Int("repeats", 3);
        var settings = Settings(arguments.Int("epochs", 3));
        string folder = arguments["folder"];
        var tasks = Tasks(arguments["data"], settings);
        using var model = LlamaLoader.LoadFolder(folder, ScalarType.Float32, device);
        var tokenizer = TokenizerLoader.FromModelFolder(folder);
        TorchRuntime.Seed(settings.FineTune.Seed);
        var adapter = LoraAdapter.Attach(model, settings.Lora);
        var encoder = new ExampleEncoder(tokenizer, settings.FineTune.Cutoff, settings.FineTune.KeepAnswer);
        var trainer = new TaskTrainer(model, adapter, encoder, settings);
        var kifPlan = new TaskPlanner(tasks, settings).Plan(1);
        var seqLoraPlan = kifPlan with { Memory = [], Fuse = false };
        var start = adapter.CloneParameters();

        StageTimes Train(TaskPlan plan)
        {
            adapter.CopyFrom(start);
            TorchRuntime.Seed(settings.FineTune.Seed);
            using var session = trainer.Start(plan);
            return Timed(session, device);
        }

        // Warm-up, untimed: one whole run of each method, so that first-call costs (the allocator, and every method
        // compiled optimised on first use: this benchmark runs without tiered compilation, like rkif) fall on neither side.
        Train(kifPlan);
        Train(seqLoraPlan);
        var kif = new List<StageTimes>();
        var seq = new List<StageTimes>();
        for (int r = 0; r < repeats; r++)
        {
            // Alternate which method goes first, so a slow spell on the shared machine does not favour one side.
            if (r % 2 == 0) { kif.Add(Train(kifPlan)); seq.Add(Train(seqLoraPlan)); }
            else { seq.Add(Train(seqLoraPlan)); kif.Add(Train(kifPlan)); }
        }
        double kifSeconds = Stats.Median(kif.Select(t => t.Total)), seqSeconds = Stats.Median(seq.Select(t => t.Total));
        var shapes = adapter.Parameters.Select(p => p.shape).ToList();
        var state = LoraStateCost.Measure(shapes, device, settings.Kif.InnerSteps, settings.Kif.OuterSteps, repeats: 5);
        var typical = kif.OrderBy(t => t.Total).ElementAt(kif.Count / 2);
        double perCycle(Func<StageTimes, double> f) => f(typical) / Math.Max(1, typical.Cycles);
        double cycleWall = perCycle(t => t.Inner / t.InnerSteps * settings.Kif.InnerSteps + t.Outer + t.Snapshot + t.Scores + t.Masks + t.Fusion);
        // Importance updates run inside the steps; their cost comes from the LoRA-state measurement on the same shapes.
        double importanceUpdates = (settings.Kif.InnerSteps + settings.Kif.OuterSteps) * state["importanceUpdateMs"]!.GetValue<double>() / 1000;
        double cycleEnd = perCycle(t => t.Snapshot + t.Scores + t.Masks + t.Fusion);
        foreach (var t in start) t.Dispose();
        return new JsonObject
        {
            ["model"] = arguments["model"], ["task"] = kifPlan.Name, ["repeats"] = repeats,
            ["innerSteps"] = typical.InnerSteps, ["outerSteps"] = typical.OuterSteps, ["cycles"] = typical.Cycles,
            ["recurrentKifSeconds"] = kifSeconds, ["seqLoraSeconds"] = seqSeconds, ["recurrentKifOverSeqLora"] = kifSeconds / seqSeconds,
            ["extraOptimizerSteps"] = (double)typical.OuterSteps / typical.InnerSteps,
            ["cycleMs"] = cycleWall * 1000,
            ["perCycle"] = new JsonObject
            {
                ["innerStepsMs"] = perCycle(t => t.Inner / t.InnerSteps * settings.Kif.InnerSteps) * 1000,
                ["outerStepsMs"] = perCycle(t => t.Outer) * 1000,
                ["importanceUpdatesMs"] = importanceUpdates * 1000,
                ["snapshotMs"] = perCycle(t => t.Snapshot) * 1000, ["scoresMs"] = perCycle(t => t.Scores) * 1000,
                ["masksMs"] = perCycle(t => t.Masks) * 1000, ["fusionMs"] = perCycle(t => t.Fusion) * 1000,
            },
            ["importanceMasksFusionShareOfCycle"] = (importanceUpdates + cycleEnd) / cycleWall,
            ["loraState"] = state,
        };
    }

    /// <summary>The task loop of <see cref="TaskTrainer.Continue"/>, stage by stage, with a clock on each stage.</summary>
    private static StageTimes Timed(TaskSession session, Device device)
    {
        var times = new StageTimes();
        var total = Stopwatch.StartNew();
        double Clock(Action stage)
        {
            var clock = Stopwatch.StartNew();
            stage();
            BenchDevice.Sync(device);
            return clock.Elapsed.TotalSeconds;
        }
        while (!session.IsFinished)
        {
            times.Inner += Clock(() => session.InnerStep());
            times.InnerSteps++;
            if (session.CycleDue)
            {
                IReadOnlyList<Tensor> afterInner = [];
                times.Snapshot += Clock(() => afterInner = session.SnapshotWeights());
                times.Outer += Clock(() => { for (int o = 0; o < session.OuterStepsPerCycle; o++) session.OuterStep(); });
                times.OuterSteps += session.OuterStepsPerCycle;
                (IReadOnlyList<Tensor> Inner, IReadOnlyList<Tensor> Outer)? scores = null;
                times.Scores += Clock(() => scores = session.ImportanceScores());
                if (scores is { } s)
                {
                    KeyKnowledgeMasks? masks = null;
                    times.Masks += Clock(() => masks = KnowledgeIdentification.Identify(s.Inner, s.Outer, session.Kif));
                    times.Fusion += Clock(() =>
                    {
                        using var weights = FusionWeighting.Weigh(masks!.In, masks.Out, s.Inner, s.Outer, session.Kif);
                        var fused = KnowledgeMerge.Merge(session.Reference!, afterInner, session.Adapter.Parameters, weights.In, weights.Out);
                        session.Adapter.CopyFrom(fused);
                        foreach (var t in fused) t.Dispose();
                        session.CompleteFusion(weights.Shares);
                    });
                    foreach (var t in s.Inner.Concat(s.Outer)) t.Dispose();
                    masks!.Dispose();
                    times.Cycles++;
                }
                else session.SkipFusion();
                foreach (var t in afterInner) t.Dispose();
            }
            if (session.ValidationDue) times.Validation += Clock(() => session.ValidateCandidate());
        }
        session.Finish();
        times.Total = total.Elapsed.TotalSeconds;
        return times;
    }
}

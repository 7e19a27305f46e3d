using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Lora;
using RecurrentKif.Gpu.Training;

namespace RecurrentKif.Gpu.Tests.Continual;

/// <summary>CI-sized real tasks (short long-sequence examples) and settings that make cycles happen in a few steps.</summary>
public static class TinyTasks
{
    public static ContinualTask Load(string name, int train = 16, int eval = 8)
    {
        string Split(string split) => Path.Combine(SharedFixtures.LongSequence, split, name + ".json");
        // The shortest examples keep stories260k's prompts small; order is kept stable by id.
        var trainExamples = TaskFileReader.Read(Split("train")).OrderBy(e => e.Input.Length).ThenBy(e => e.Id, StringComparer.Ordinal).Take(train).ToList();
        var dev = TaskFileReader.Read(Split("dev")).OrderBy(e => e.Input.Length).ThenBy(e => e.Id, StringComparer.Ordinal).Take(eval * 2).ToList();
        return new ContinualTask(name, trainExamples, dev.Take(eval).ToList(), dev.Skip(eval).ToList(), EvaluatedOnDev: true);
    }

    public static ContinualSettings Settings(ContinualMethod method) => new()
    {
        Method = method,
        FineTune = new FineTuneSettings { Epochs = 2, BatchSize = 4, MicroBatchSize = 4, Cutoff = 256, Seed = 3 },
        Optimizer = new OptimizerSettings { LearningRate = 3e-3, WarmupSteps = 2 },
        Lora = new LoraSettings(),
        Kif = new KifSettings { InnerSteps = 2, OuterSteps = 2, OuterBatchSize = 4, OuterUpdate = OuterUpdateMode.SharedInnerAdam },
        MemoryRatio = 0.25,
        ValidationPerTask = 4,
        EvalEvery = 4,
        MaxNewTokens = 4,
    };
}

using RecurrentKif.Actors.Settings;
using RecurrentKif.Gpu.BuiltIn;
using RecurrentKif.Gpu.Continual;

namespace RecurrentKif.Actors.Pipeline;

/// <summary>The run's tasks, read once from the configured source (the built-in generator or a benchmark folder).</summary>
public static class TaskCatalog
{
    public const int BuiltInSeed = 2025;

    public static IReadOnlyList<ContinualTask> Load(RunConfiguration run)
    {
        string source = run.TaskSource;
        if (source == "builtin")
        {
            source = Path.Combine(run.DataRoot, "tasks", "builtin");
            if (!BuiltInTaskGenerator.TaskNames.All(t => File.Exists(Path.Combine(source, "test", t + ".json"))))
                BuiltInTaskGenerator.Write(source, BuiltInSeed);
        }
        return BenchmarkTaskLoader.Load(source, TaskOrders.Resolve(run.TaskOrder), run.Sizes, run.Continual.FineTune.Seed);
    }
}

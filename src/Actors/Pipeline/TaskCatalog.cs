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
        string source = run.TaskSource == "builtin" ? EnsureBuiltInTasks(run.DataRoot) : run.TaskSource;
        return BenchmarkTaskLoader.Load(source, TaskOrders.Resolve(run.TaskOrder), run.Sizes, run.Continual.FineTune.Seed);
    }

    /// <summary>The built-in tasks' folder under <paramref name="dataRoot"/>, generated (deterministically) if incomplete.</summary>
    public static string EnsureBuiltInTasks(string dataRoot)
    {
        string folder = Path.Combine(dataRoot, "tasks", "builtin");
        if (!BuiltInTaskGenerator.TaskNames.All(t => File.Exists(Path.Combine(folder, "test", t + ".json"))))
        {
            Serilog.Log.Information("Generating the built-in tasks ({Tasks}) in {Folder}", string.Join(", ", BuiltInTaskGenerator.TaskNames), Path.GetFullPath(folder));
            BuiltInTaskGenerator.Write(folder, BuiltInSeed);
        }
        return folder;
    }
}

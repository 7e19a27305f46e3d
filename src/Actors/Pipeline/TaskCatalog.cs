using RecurrentKif.Actors.Settings;
using RecurrentKif.Gpu.BuiltIn;
using RecurrentKif.Gpu.Continual;

namespace RecurrentKif.Actors.Pipeline;

/// <summary>The run's tasks, read once from the configured source (the built-in generator or a benchmark folder).</summary>
public static class TaskCatalog
{
    public const int BuiltInSeed = 2025;

    /// <summary>The task order of a cluster run that starts empty and learns only the tasks submitted to it.</summary>
    public const string SubmittedOnly = "submitted";

    public static CatalogedTasks Load(RunConfiguration run)
    {
        string source = Path.GetFullPath(run.TaskSource == "builtin" ? EnsureBuiltInTasks(run.DataRoot) : run.TaskSource);
        var names = run.TaskOrder == SubmittedOnly ? [] : TaskOrders.Resolve(run.TaskOrder);
        return new CatalogedTasks(source, BenchmarkTaskLoader.Load(source, names, run.Sizes, run.Continual.FineTune.Seed));
    }

    /// <summary>A run's whole sequence as its journal knows it: the configured tasks, then the submitted ones (cluster).</summary>
    public static IReadOnlyList<ContinualTask> LoadRunTasks(RunConfiguration run, RunState state) =>
    [
        .. Load(run).Tasks,
        .. state.Queued.Select(q => BenchmarkTaskLoader.LoadOne(q.Source, q.TaskName, run.Sizes, run.Continual.FineTune.Seed)),
    ];

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

/// <summary>The configured tasks and the folder they were read from (learners on other nodes read them there too).</summary>
public sealed record CatalogedTasks(string Folder, IReadOnlyList<ContinualTask> Tasks);

using RecurrentKif.Gpu.BuiltIn;
using RecurrentKif.Gpu.Data;
using RecurrentKif.Actors.Pipeline;

namespace RecurrentKif.Launcher.Commands;

/// <summary>Resolves a task argument: a built-in task name (generated on first use) or a path to a train file (JSON array or JSON Lines).</summary>
public static class TaskFiles
{
    /// <summary>Returns the train file and the evaluation file (test split if present, else dev) for a task argument.</summary>
    public static (string Train, string? Eval, string Name) Resolve(string task, string dataRoot)
    {
        if (BuiltInTaskGenerator.TaskNames.Contains(task))
        {
            string root = TaskCatalog.EnsureBuiltInTasks(dataRoot);
            return (Path.Combine(root, "train", task + ".json"), Path.Combine(root, "test", task + ".json"), task);
        }
        if (!File.Exists(task))
            throw new FileNotFoundException(
                $"task '{task}' is neither a built-in task ({string.Join(", ", BuiltInTaskGenerator.TaskNames)}) nor an existing file");
        string name = Path.GetFileNameWithoutExtension(task);
        // Benchmark layout: <root>/{train,dev,test}/<task>.json or .jsonl. Prefer test; dbpedia/yahoo only have dev.
        string? splitRoot = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(task)));
        string? eval = splitRoot is null ? null
            : new[] { "test", "dev" }.Select(s => TaskFilePaths.Find(splitRoot, s, name)).FirstOrDefault(p => p is not null);
        return (task, eval, name);
    }
}

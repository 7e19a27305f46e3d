namespace RecurrentKif.Integration.Tests;

/// <summary>A CI-sized run: stories260k (or another model folder), three built-in tasks, cycles of 2 steps, a commit every 2 steps.</summary>
public sealed class TinyRun : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("rkif-it").FullName;
    public string ConfigPath => Path.Combine(Root, "run.conf");
    public string RunFolder => Path.Combine(Root, "data", "runs", "tiny");
    public string FinalAdapter => Path.Combine(RunFolder, "checkpoints", "task02-final.adapter");

    public TinyRun(string extra = "", string? model = null)
    {
        model ??= Path.Combine(SharedRoot(), "models", "stories260k");
        File.WriteAllText(ConfigPath, $$"""
            rkif {
              run-id = "tiny"
              data-root = "{{Path.Combine(Root, "data")}}"
              model = "{{model}}"
              device = "cpu"
              threads = 2
              tasks { source = "builtin", order = "builtin-short", train-per-task = 16, dev-per-task = 8, eval-per-task = 6 }
              training { epochs = 2, batch-size = 4, micro-batch-size = 4, learning-rate = 3e-3, warmup-steps = 2, cutoff = 256, keep-answer = on }
              kif { inner-steps = 2, outer-steps = 2, outer-batch-size = 4, outer-update = "SharedInnerAdam" }
              memory-ratio = 0.25
              validation-per-task = 4
              eval-every = 4
              evaluation { max-new-tokens = 4 }
              checkpoints { keep = 3 }
              {{extra}}
            }
            """);
    }

    public static string SharedRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "shared", "models", "stories260k"))) return Path.Combine(dir.FullName, "shared");
        throw new DirectoryNotFoundException("shared/models/stories260k not found above " + AppContext.BaseDirectory);
    }

    public RkifProcess.Result Run(string? fault = null, TimeSpan? killAfter = null) =>
        RkifProcess.Run($"run \"{ConfigPath}\"", fault is null ? null : new Dictionary<string, string> { ["RKIF_FAULT"] = fault }, killAfter: killAfter);

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}

using System.Diagnostics;
using System.Text.Json.Nodes;

namespace RecurrentKif.Bench;

/// <summary>
/// The parent side: writes the bench models and tasks once into a scratch folder, then runs each selected section's
/// children in turn and collects their JSON. --quick shrinks repeats and steps to a smoke run of about a minute.
/// </summary>
public sealed class BenchSuite(BenchOptions options, string work)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);
    private readonly string _data = Path.Combine(work, "data");

    public JsonObject Run()
    {
        var results = new JsonObject
        {
            ["quick"] = options.Quick, ["device"] = options.Device, ["cores"] = Environment.ProcessorCount,
            ["loadAverageAtStart"] = LoadAverage(),
        };
        foreach (string section in BenchOptions.AllSections.Where(options.Sections.Contains))
        {
            var clock = Stopwatch.StartNew();
            Console.Error.WriteLine($"[rkif-bench] {section} …");
            results[section] = section switch
            {
                "training" => Training(),
                "pipeline" => PipelineBenchmark.Run(PipelineBenchmark.WriteConfig(work, Model("built-in"), FreshFolder("pipeline-data"), options.Device), options.Quick ? 1 : 5),
                "continual" => Continual(),
                "generation" => PerModel("generation", ["built-in", "llama-10M"], new() { ["repeats"] = options.Quick ? "1" : "3", ["prompts"] = "8" }),
                "checkpoint" => PerModel("checkpoint", ["built-in", "llama-10M", "llama-50M"], new() { ["repeats"] = options.Quick ? "2" : "5" }),
                _ => throw new InvalidOperationException(section),
            };
            Console.Error.WriteLine($"[rkif-bench] {section} done in {clock.Elapsed.TotalSeconds:F0} s");
            // Kept after every section, so a failure later in the run does not lose what was measured.
            Directory.CreateDirectory(options.OutFolder);
            File.WriteAllText(Path.Combine(options.OutFolder, "partial.json"), results.ToJsonString());
        }
        results["loadAverageAtEnd"] = LoadAverage();
        return results;
    }

    private JsonArray Training()
    {
        var rows = new JsonArray();
        foreach (var c in TrainingStepBenchmark.Cases(options.Quick))
            rows.Add(Child("training", new()
            {
                // A T5 is built in the child's memory (BenchModels.BuildT5): its step needs no folder.
                ["model"] = c.Model, ["folder"] = BenchModels.IsT5(c.Model) ? "(in memory)" : Model(c.Model), ["dtype"] = c.Dtype, ["batch"] = $"{c.Batch}", ["length"] = $"{c.Length}",
                ["steps"] = options.Quick ? "2" : c.Model == "llama-50M" ? "3" : "5",
            }));
        return rows;
    }

    private JsonObject Continual()
    {
        // The built-in architecture only: a 10 M model's byte-level steps (up to 256 tokens per example) take seconds
        // each on 2 cores; the LoRA-state child below covers the larger models' shapes.
        var result = PerModel("continual", ["built-in"], new()
        {
            ["repeats"] = options.Quick ? "1" : "3", ["epochs"] = options.Quick ? "1" : "3",
        });
        result["loraState"] = Child("lora-state", new() { ["repeats"] = options.Quick ? "2" : "5" });
        return result;
    }

    private JsonObject PerModel(string section, IReadOnlyList<string> models, Dictionary<string, string> arguments)
    {
        var result = new JsonObject();
        foreach (string model in models)
            result[model] = Child(section, new(arguments) { ["model"] = model, ["folder"] = Model(model), ["data"] = _data });
        return result;
    }

    private JsonObject Child(string section, Dictionary<string, string> arguments)
    {
        arguments["device"] = options.Device;
        arguments["threads"] = $"{options.Threads}";
        return ChildProcess.Run(section, arguments, Timeout);
    }

    private string Model(string name) => BenchModels.EnsureFolder(work, name);

    /// <summary>An empty folder under the work folder: a kept work folder must not hold the journal of an earlier, finished run.</summary>
    private string FreshFolder(string name)
    {
        string folder = Path.Combine(work, name);
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        return folder;
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}

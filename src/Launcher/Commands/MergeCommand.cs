using System.CommandLine;
using System.Globalization;
using RecurrentKif.Gpu.Lora;
using RecurrentKif.Gpu.Merging;
using RecurrentKif.Gpu.Models;
using RecurrentKif.Gpu.Pretraining;
using RecurrentKif.Launcher.Terminal;

namespace RecurrentKif.Launcher.Commands;

/// <summary>
/// <c>rkif merge</c>: fold an adapter into its base model and write a plain Hugging Face folder (docs/merging.md).
/// The adapter is a run's (<c>rkif merge run.conf --out dir [--task k]</c>) or one or more PEFT folders
/// (<c>rkif merge --adapter a [--adapter b …] [--method ties] --out dir</c>), combined by a registered method.
/// </summary>
public static class MergeCommand
{
    public static Command Create()
    {
        var config = new Argument<string>("config") { Description = "Run configuration (HOCON) whose adapter to merge; leave out with --adapter", Arity = ArgumentArity.ZeroOrOne };
        var set = RunCommand.SetOption();
        var task = new Option<int?>("--task") { Description = "With a run: the adapter as it was after this task (0-based; default: the last trained task)" };
        var adapters = new Option<string[]>("--adapter") { Description = "A PEFT adapter folder (as `rkif export` writes); repeat to combine several", AllowMultipleArgumentsPerToken = false };
        var model = new Option<string?>("--model") { Description = "With --adapter: the base model folder, 'builtin' or 'benchmark' (default: the first adapter's base_model_name_or_path)" };
        var dataRoot = CommonOptions.DataRoot();
        var method = new Option<string>("--method") { Description = $"How several adapters are combined: {string.Join(", ", DeltaCombinations.Names)}", DefaultValueFactory = _ => "linear" };
        var weights = new Option<string?>("--weights") { Description = "Comma-separated weight per adapter (default: 1 each)" };
        var density = new Option<double>("--density") { Description = "ties/dare: share of each delta kept (0, 1]", DefaultValueFactory = _ => 1.0 };
        var noNormalize = new Option<bool>("--no-normalize") { Description = "Sum the weighted deltas instead of dividing by the summed weights (ties: of the adapters agreeing with the elected sign)" };
        var seed = new Option<long>("--seed") { Description = "dare: seed of the random drop", DefaultValueFactory = _ => 42 };
        var output = new Option<string>("--out") { Description = "New folder for the merged model (config.json, model.safetensors, tokenizer files)", Required = true };
        var command = new Command("merge", "Fold an adapter (a run's, or PEFT folders combined by linear, ties, dare or dare_ties) into the base model and write a Hugging Face folder")
        {
            config, set, task, adapters, model, dataRoot, method, weights, density, noNormalize, seed, output,
        };
        command.SetAction(async (parse, _) =>
        {
            string outFolder = parse.GetValue(output)!;
            string[] adapterFolders = parse.GetValue(adapters) ?? [];
            if (parse.GetValue(config) is null)
            {
                if (adapterFolders.Length == 0) throw new ArgumentException("give a run configuration, or one or more --adapter folders");
                var options = new DeltaCombinationOptions
                {
                    Weights = ParseWeights(parse.GetValue(weights)),
                    Density = parse.GetValue(density),
                    Normalize = !parse.GetValue(noNormalize),
                    Seed = parse.GetValue(seed),
                };
                string baseFolder = BaseFolder(parse.GetValue(model), adapterFolders[0], parse.GetValue(dataRoot)!);
                AdapterMerge.FromPeftFolders(baseFolder, adapterFolders, parse.GetValue(method)!, options, outFolder);
                Console.WriteLine($"{adapterFolders.Length} adapter(s) merged ({parse.GetValue(method)}) into {baseFolder}: {Path.GetFullPath(outFolder)}");
                return 0;
            }
            if (adapterFolders.Length > 0) throw new ArgumentException("give either a run configuration or --adapter folders, not both");
            var run = RunCommand.Load(parse, config, set);
            var (host, state, k) = await RunArtifacts.OpenAdapterAsync(run, parse.GetValue(task));
            IReadOnlyList<ModuleDelta> deltas;
            string modelFolder = host.ModelFolder;
            using (host) deltas = LoraDeltas.Of(host.Adapter);
            try
            {
                MergedModelWriter.Write(modelFolder, deltas, outFolder);
            }
            finally
            {
                foreach (var delta in deltas) delta.Delta.Dispose();
            }
            Console.WriteLine($"adapter after task {k + 1} ({state.TaskNames[k]}) merged into {modelFolder}: {Path.GetFullPath(outFolder)}");
            return 0;
        });
        return command;
    }

    private static IReadOnlyList<double>? ParseWeights(string? text) => text is null ? null
        : text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(w => double.TryParse(w, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
                ? v
                : throw new ArgumentException($"--weights: '{w}' is not a number"))
            .ToList();

    /// <summary>--model when given, else the base the first adapter names, if that folder exists here.</summary>
    private static string BaseFolder(string? model, string firstAdapter, string dataRoot)
    {
        if (model is not null) return ModelAliases.ResolveFolder(model, dataRoot, new ProgressDisplay().Report);
        string? named = PeftAdapterFormat.ReadBaseModelPath(firstAdapter);
        if (named is not null && Directory.Exists(named)) return named;
        throw new ModelLoadException(
            $"{firstAdapter}: its base model ({named ?? "not named"}) is not a folder here; give the base with --model");
    }
}

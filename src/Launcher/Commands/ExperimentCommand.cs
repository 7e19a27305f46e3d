using System.CommandLine;
using System.Globalization;
using RecurrentKif.Actors.Pipeline;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Lora;
using RecurrentKif.Gpu.Training;
using RecurrentKif.Launcher.Terminal;
using Serilog;

namespace RecurrentKif.Launcher.Commands;

/// <summary>
/// <c>rkif experiment</c>: one task order, several methods, same model, data, memory and evaluation; prints each
/// accuracy matrix and the methods side by side (OP, BWT, FWT, wall time), and writes them as JSON.
/// Defaults are the official code's hyperparameters (ALGORITHM.md §4) for a LLaMA backbone.
/// </summary>
public static class ExperimentCommand
{
    public static Command Create()
    {
        var modelOptions = new ModelOptions();
        var seed = CommonOptions.Seed();
        var order = new Option<string>("--order") { Description = $"Task order ({string.Join(", ", TaskOrders.Names)}) or a comma-separated task list", DefaultValueFactory = _ => "builtin-short" };
        var data = new Option<string?>("--data") { Description = "Benchmark folder with {train,dev,test}/<task>.json (default: the built-in tasks)" };
        var methods = new Option<string>("--methods") { Description = "Comma-separated: RecurrentKif, SeqLora, Replay, StaticImportance, MultiTask, or 'all'", DefaultValueFactory = _ => "all" };
        var trainPerTask = new Option<int>("--train-per-task") { Description = "Training examples per task (0 = all)", DefaultValueFactory = _ => 0 };
        var devPerTask = new Option<int>("--dev-per-task") { Description = "Dev examples per task (0 = all)", DefaultValueFactory = _ => 0 };
        var evalPerTask = new Option<int>("--eval-per-task") { Description = "Evaluation examples per task (0 = all)", DefaultValueFactory = _ => 0 };
        var epochs = new Option<int>("--epochs") { DefaultValueFactory = _ => 10 };
        var batchSize = new Option<int>("--batch-size") { DefaultValueFactory = _ => 64 };
        var microBatchSize = new Option<int>("--micro-batch-size") { DefaultValueFactory = _ => 16 };
        var lr = new Option<double>("--lr") { DefaultValueFactory = _ => 3e-4 };
        var warmup = new Option<int>("--warmup-steps") { DefaultValueFactory = _ => 50 };
        var cutoff = new Option<int>("--cutoff") { DefaultValueFactory = _ => 512 };
        var keepAnswer = new Option<bool>("--keep-answer") { Description = "Truncate over-long prompts from the left instead of cutting the answer (small-context models)" };
        var template = new Option<RecurrentKif.Gpu.Data.PromptTemplate>("--prompt-template") { Description = "Alpaca (official LLaMA code) or Plain (instruction + input, then the answer)", DefaultValueFactory = _ => RecurrentKif.Gpu.Data.PromptTemplate.Alpaca };
        var q = new Option<int>("--q") { Description = "Inner steps per cycle", DefaultValueFactory = _ => 8 };
        var outerSteps = new Option<int>("--outer-steps") { DefaultValueFactory = _ => 4 };
        var outerBatch = new Option<int>("--outer-batch") { DefaultValueFactory = _ => 64 };
        var outerMode = new Option<OuterUpdateMode>("--outer-mode") { Description = "Frozen (LLaMA code), SharedInnerAdam (T5 code), SeparateAdamW (intent)", DefaultValueFactory = _ => OuterUpdateMode.Frozen };
        var outerLr = new Option<double>("--outer-lr") { Description = "Learning rate of the SeparateAdamW outer optimizer", DefaultValueFactory = _ => 1e-3 };
        var fusion = new Option<FusionRule>("--fusion") { Description = "Code (1/0, 0/1, 0.4/0.6, 0.5/0.5) or PaperBinary", DefaultValueFactory = _ => FusionRule.Code };
        var memoryRatio = new Option<double>("--memory-ratio") { DefaultValueFactory = _ => 0.02 };
        var evalEvery = new Option<int>("--eval-every") { DefaultValueFactory = _ => 40 };
        var output = new Option<string?>("--out") { Description = "Folder for experiment.json and the tables (default: <data-root>/experiments/<order>-<time>)" };
        var command = new Command("experiment", "Run a task order with several methods and compare them (accuracy matrices, OP/BWT/FWT, wall time)")
        {
            seed, order, data, methods, trainPerTask, devPerTask, evalPerTask, epochs, batchSize,
            microBatchSize, lr, warmup, cutoff, keepAnswer, template, q, outerSteps, outerBatch, outerMode, outerLr, fusion, memoryRatio, evalEvery, output,
        };
        modelOptions.AddTo(command);
        command.SetAction(parse =>
        {
            string root = modelOptions.DataRootOf(parse);
            var taskNames = TaskOrders.Resolve(parse.GetValue(order)!);
            string? benchmark = parse.GetValue(data);
            benchmark ??= TaskCatalog.EnsureBuiltInTasks(root);
            var sizes = new TaskSubsetSizes(parse.GetValue(trainPerTask), parse.GetValue(devPerTask), parse.GetValue(evalPerTask));
            var tasks = BenchmarkTaskLoader.Load(benchmark, taskNames, sizes, parse.GetValue(seed));
            var chosen = ParseMethods(parse.GetValue(methods)!);
            var settings = new ContinualSettings
            {
                FineTune = new FineTuneSettings
                {
                    Epochs = parse.GetValue(epochs), BatchSize = parse.GetValue(batchSize), MicroBatchSize = parse.GetValue(microBatchSize),
                    Cutoff = parse.GetValue(cutoff), KeepAnswer = parse.GetValue(keepAnswer), Seed = parse.GetValue(seed),
                    PromptTemplate = parse.GetValue(template),
                },
                Optimizer = new OptimizerSettings { LearningRate = parse.GetValue(lr), WarmupSteps = parse.GetValue(warmup) },
                Lora = new LoraSettings(),
                Kif = new KifSettings
                {
                    InnerSteps = parse.GetValue(q), OuterSteps = parse.GetValue(outerSteps), OuterBatchSize = parse.GetValue(outerBatch),
                    OuterUpdate = parse.GetValue(outerMode), OuterLearningRate = parse.GetValue(outerLr), Fusion = parse.GetValue(fusion),
                },
                MemoryRatio = parse.GetValue(memoryRatio),
                EvalEvery = parse.GetValue(evalEvery),
            };
            settings.Validate();
            string outputFolder = parse.GetValue(output)
                ?? Path.Combine(root, "experiments", $"{parse.GetValue(order)!.Replace(',', '+')}-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
            Directory.CreateDirectory(outputFolder);

            var reports = new List<ContinualReport>();
            var display = new ProgressDisplay();
            foreach (var method in chosen)
            {
                using var session = modelOptions.Open(parse);
                var result = new ContinualTrainer(session.Model, session.Tokenizer, settings with { Method = method }).Run(tasks, display.Report);
                var report = ContinualReport.FromRun(result, tasks);
                reports.Add(report);
                Console.WriteLine();
                Console.WriteLine(ContinualReportWriter.FormatMatrix(report));
                ContinualReportWriter.WriteJson(reports, Path.Combine(outputFolder, "experiment.json"));
            }
            string comparison = ContinualReportWriter.FormatComparison(reports);
            Console.WriteLine();
            Console.WriteLine(comparison);
            var kif = reports.FirstOrDefault(r => r.Method == nameof(ContinualMethod.RecurrentKif));
            var seq = reports.FirstOrDefault(r => r.Method == nameof(ContinualMethod.SeqLora));
            if (kif is not null && seq is not null)
            {
                string ratio = string.Create(CultureInfo.InvariantCulture,
                    $"Recurrent-KIF / SeqLoRA: wall time {kif.WallClockSeconds / seq.WallClockSeconds:F2}x, training time {kif.Extras["trainingSeconds"] / seq.Extras["trainingSeconds"]:F2}x, optimizer steps {(kif.Extras["innerSteps"] + kif.Extras["outerSteps"]) / (seq.Extras["innerSteps"] + seq.Extras["outerSteps"]):F2}x");
                Console.WriteLine(ratio);
                comparison += Environment.NewLine + ratio + Environment.NewLine;
            }
            File.WriteAllText(Path.Combine(outputFolder, "comparison.md"), comparison);
            File.WriteAllText(Path.Combine(outputFolder, "matrices.txt"), string.Join(Environment.NewLine + Environment.NewLine, reports.Select(ContinualReportWriter.FormatMatrix)));
            Log.Information("Wrote {Folder}", Path.GetFullPath(outputFolder));
            return 0;
        });
        return command;
    }

    private static IReadOnlyList<ContinualMethod> ParseMethods(string text)
    {
        if (text.Trim().Equals("all", StringComparison.OrdinalIgnoreCase)) return Enum.GetValues<ContinualMethod>();
        return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(m => Enum.TryParse<ContinualMethod>(m, ignoreCase: true, out var method)
                ? method
                : throw new ArgumentException($"unknown method '{m}' (known: {string.Join(", ", Enum.GetNames<ContinualMethod>())}, all)"))
            .ToList();
    }
}

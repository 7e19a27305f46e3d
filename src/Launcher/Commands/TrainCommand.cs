using System.CommandLine;
using System.Diagnostics;
using RecurrentKif.Actors.Settings;
using RecurrentKif.Actors.Telemetry;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Evaluation;
using RecurrentKif.Gpu.Lora;
using RecurrentKif.Gpu.Models;
using RecurrentKif.Gpu.Pretraining;
using RecurrentKif.Gpu.Runtime;
using RecurrentKif.Gpu.Training;
using RecurrentKif.Gpu.TrainingLogs;
using RecurrentKif.Launcher.Terminal;
using Serilog;

namespace RecurrentKif.Launcher.Commands;

/// <summary>
/// <c>rkif train</c>: LoRA fine-tuning of one task, with exact-match accuracy before and after and the adapter saved
/// in PEFT layout. With no arguments it trains the built-in model on the built-in "review" task with reference.conf's
/// settings; <c>--config hocon/local.conf</c> gives it the recipe it learns with. Its per-step log,
/// trainer_log.jsonl (and TensorBoard events with --tensorboard), goes into the adapter folder, as LLaMA-Factory puts
/// it in its output_dir (docs/observability.md §1).
/// </summary>
public static class TrainCommand
{
    public static Command Create()
    {
        // Every training setting is a key of hocon/reference.conf (the one home of its default); a flag given on the
        // command line overrides its key, over --config and --set.
        var flags = new SettingFlags();
        var config = new Option<string?>("--config") { Description = "Run configuration (HOCON, as for `rkif run`) over hocon/reference.conf; for the built-in model hocon/local.conf holds the recipe it learns with" };
        var set = RunCommand.SetOption();
        var modelOptions = new ModelOptions(flags);
        var seed = flags.Add(CommonOptions.Seed(withDefault: false), "seed");
        var task = new Option<string>("--task") { Description = "Built-in task name or path to a train file (long-sequence format: a JSON array, or JSON Lines in .jsonl)", DefaultValueFactory = _ => "review" };
        var evalFile = new Option<string?>("--eval") { Description = "Evaluation file, JSON array or JSON Lines (default: the task's test split, else dev)" };
        var trainExamples = new Option<int>("--train-examples") { Description = "Use only the first N training examples (0 = all)", DefaultValueFactory = _ => 0 };
        var evalExamples = new Option<int>("--eval-examples") { Description = "Evaluate on the first N examples (0 = all)", DefaultValueFactory = _ => 100 };
        var epochs = flags.Add(new Option<int>("--epochs"), "training.epochs");
        var maxSteps = new Option<int>("--max-steps") { Description = "Stop after N optimizer steps (0 = no limit)", DefaultValueFactory = _ => 0 };
        var batchSize = flags.Add(new Option<int>("--batch-size") { Description = "Examples per optimizer step" }, "training.batch-size");
        var microBatchSize = flags.Add(new Option<int>("--micro-batch-size") { Description = "Examples per forward pass (gradient accumulation)" }, "training.micro-batch-size");
        var lr = flags.Add(new Option<double>("--lr"), "training.learning-rate");
        var warmup = flags.Add(new Option<int>("--warmup-steps"), "training.warmup-steps");
        var cutoff = flags.Add(new Option<int>("--cutoff") { Description = "Maximum tokens of prompt + answer" }, "training.cutoff");
        var rank = flags.Add(new Option<int>("--lora-r"), "lora.r");
        var alpha = flags.Add(new Option<double>("--lora-alpha"), "lora.alpha");
        var dropout = flags.Add(new Option<double>("--lora-dropout"), "lora.dropout");
        var targets = flags.Add(new Option<string>("--lora-targets") { Description = "Comma-separated module names" }, "lora.target-modules", SettingFlags.HoconList);
        var template = flags.Add(new Option<PromptTemplate>("--prompt-template") { Description = "Alpaca (official LLaMA code) or Plain (instruction + input, then the answer); without --config, and unless --set names it, the built-in and benchmark models read Plain (what they were pretrained on)" }, "training.prompt-template");
        var output = new Option<string?>("--out") { Description = "Adapter output folder, also holding trainer_log.jsonl (default: <data-root>/runs/<task>-<time>/adapter)" };
        var tensorBoard = flags.Add(new Option<bool>("--tensorboard") { Description = "Also write TensorBoard event files to <adapter folder>/tensorboard" }, "logging.tensorboard");
        var command = new Command("train", "LoRA fine-tuning on one task; reports exact-match accuracy before and after and saves the adapter. "
                                           + "Settings as `rkif run` reads them: hocon/reference.conf, --config, --set, then the flags that name a key")
        {
            config, set, seed, task, evalFile, trainExamples, evalExamples, epochs, maxSteps,
            batchSize, microBatchSize, lr, warmup, cutoff, rank, alpha, dropout, targets, template, output, tensorBoard,
        };
        modelOptions.AddTo(command);
        command.SetAction(parse =>
        {
            var sets = (parse.GetValue(set) ?? []).Select(s => "rkif." + s).ToList();
            string? file = parse.GetValue(config);
            // The loader lets an earlier override win over a later one: the flags come first so that they win over --set.
            var run = RunConfigurationLoader.LoadForExperiment(file, [.. flags.Overrides(parse), .. sets]);
            string root = run.DataRoot;
            var (trainPath, defaultEval, taskName) = TaskFiles.Resolve(parse.GetValue(task)!, root);
            var train = Limit(TaskFileReader.Read(trainPath), parse.GetValue(trainExamples));
            string? evalPath = parse.GetValue(evalFile) ?? defaultEval;
            var eval = evalPath is null ? [] : Limit(TaskFileReader.Read(evalPath), parse.GetValue(evalExamples));

            // The project's models were pretrained on plain sentences: where nothing chose a template, they get Plain.
            bool templateChosen = file is not null || parse.GetResult(template) is { Implicit: false }
                                  || sets.Any(s => s.Contains("prompt-template", StringComparison.Ordinal));
            var fineTune = run.Continual.FineTune with
            {
                MaxSteps = parse.GetValue(maxSteps),
                PromptTemplate = templateChosen || !ModelAliases.IsProjectModel(run.Model) ? run.Continual.FineTune.PromptTemplate : PromptTemplate.Plain,
            };
            var lora = run.Continual.Lora;
            fineTune.Validate();

            using var session = ResolvedModel.Open(run.Model, run.DataRoot, run.Device, run.Bf16, run.Threads, new ProgressDisplay().Report);
            TorchRuntime.Seed(fineTune.Seed);
            var adapter = session.Model.AttachLora(lora);
            var encoder = session.Model.CreateEncoder(session.Tokenizer, fineTune);
            var evaluator = new GenerationEvaluator(session.Model, session.Tokenizer, encoder);
            Log.Information("Task {Task}: {Train} training examples from {TrainPath}; evaluating on {Eval} from {EvalPath}; LoRA {Scalars:N0} scalars",
                taskName, train.Count, trainPath, eval.Count, evalPath ?? "(none)", adapter.ScalarCount);

            double before = eval.Count > 0 ? GenerationEvaluator.Accuracy(evaluator.Predict(eval)) : double.NaN;
            string adapterFolder = parse.GetValue(output)
                ?? Path.Combine(root, "runs", $"{taskName}-{DateTime.UtcNow:yyyyMMdd-HHmmss}", "adapter");
            using var logs = new TrainingLogSet(adapterFolder, run.Observability.TensorBoard, new MetricsTrainingLog());
            logs.ResumeAt(0, 0);   // a reused --out folder starts a fresh log
            var clock = Stopwatch.StartNew();
            var display = new ProgressDisplay();
            // Plain LoRA is the continual trainer's task loop with no memory and no fusion.
            var settings = run.Continual with { Method = ContinualMethod.SeqLora, FineTune = fineTune, SelectBestByValidationLoss = false };
            var plan = new TaskPlan(taskName, train, Memory: [], Validation: [], Fuse: false, TrackWholeTaskImportance: false, fineTune.Seed);
            var stats = new TaskTrainer(session.Model, adapter, encoder, settings).Train(plan, p =>
            {
                logs.Step(StepLogEntry.Of(0, p));
                display.Report(p);
            });
            logs.Flush();
            double seconds = clock.Elapsed.TotalSeconds;
            var predictions = eval.Count > 0 ? evaluator.Predict(eval) : [];
            double after = eval.Count > 0 ? GenerationEvaluator.Accuracy(predictions) : double.NaN;

            PeftAdapterFormat.Save(adapter, adapterFolder, session.Folder, session.Model.PeftTaskType);

            Console.WriteLine();
            Console.WriteLine($"task              {taskName}");
            int tenth = Math.Max(1, stats.Losses.Count / 10);
            Console.WriteLine($"optimizer steps   {stats.InnerSteps} ({seconds:F1} s, {stats.TrainingTokens / seconds:F0} tokens/s)");
            Console.WriteLine($"training loss     {stats.Losses.Take(tenth).Average():F4} (first 10 %) -> {stats.Losses.TakeLast(tenth).Average():F4} (last 10 %)");
            Console.WriteLine($"exact match       {before:P1} before -> {after:P1} after ({eval.Count} examples)");
            foreach (var p in predictions.Take(3)) Console.WriteLine($"  e.g. {p.Id}: gold '{p.Gold}', predicted '{p.Predicted}'");
            Console.WriteLine($"adapter           {Path.GetFullPath(adapterFolder)}");
            return 0;
        });
        return command;
    }

    private static IReadOnlyList<TaskExample> Limit(IReadOnlyList<TaskExample> examples, int count) =>
        count > 0 && count < examples.Count ? examples.Take(count).ToList() : examples;
}

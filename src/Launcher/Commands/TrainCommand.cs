using System.CommandLine;
using System.Diagnostics;
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
/// in PEFT layout. With no arguments it trains the built-in model on the built-in "review" task. Its per-step log,
/// trainer_log.jsonl (and TensorBoard events with --tensorboard), goes into the adapter folder, as LLaMA-Factory puts
/// it in its output_dir (docs/observability.md §1).
/// </summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var modelOptions = new ModelOptions();
        var seed = CommonOptions.Seed();
        var task = new Option<string>("--task") { Description = "Built-in task name or path to a train file (long-sequence format: a JSON array, or JSON Lines in .jsonl)", DefaultValueFactory = _ => "review" };
        var evalFile = new Option<string?>("--eval") { Description = "Evaluation file, JSON array or JSON Lines (default: the task's test split, else dev)" };
        var trainExamples = new Option<int>("--train-examples") { Description = "Use only the first N training examples (0 = all)", DefaultValueFactory = _ => 0 };
        var evalExamples = new Option<int>("--eval-examples") { Description = "Evaluate on the first N examples (0 = all)", DefaultValueFactory = _ => 100 };
        var epochs = new Option<int>("--epochs") { DefaultValueFactory = _ => 4 };
        var maxSteps = new Option<int>("--max-steps") { Description = "Stop after N optimizer steps (0 = no limit)", DefaultValueFactory = _ => 0 };
        var batchSize = new Option<int>("--batch-size") { Description = "Examples per optimizer step", DefaultValueFactory = _ => 16 };
        var microBatchSize = new Option<int>("--micro-batch-size") { Description = "Examples per forward pass (gradient accumulation)", DefaultValueFactory = _ => 16 };
        var lr = new Option<double>("--lr") { DefaultValueFactory = _ => 2e-3 };
        var warmup = new Option<int>("--warmup-steps") { DefaultValueFactory = _ => 5 };
        var cutoff = new Option<int>("--cutoff") { Description = "Maximum tokens of prompt + answer", DefaultValueFactory = _ => 512 };
        var rank = new Option<int>("--lora-r") { DefaultValueFactory = _ => 8 };
        var alpha = new Option<double>("--lora-alpha") { DefaultValueFactory = _ => 32 };
        var dropout = new Option<double>("--lora-dropout") { DefaultValueFactory = _ => 0.05 };
        var targets = new Option<string>("--lora-targets") { Description = "Comma-separated module names", DefaultValueFactory = _ => "q_proj,v_proj" };
        var template = new Option<PromptTemplate?>("--prompt-template") { Description = "Alpaca (official LLaMA code) or Plain (instruction + input, then the answer); default: Plain for the built-in model (what it was pretrained on), else Alpaca" };
        var output = new Option<string?>("--out") { Description = "Adapter output folder, also holding trainer_log.jsonl (default: <data-root>/runs/<task>-<time>/adapter)" };
        var tensorBoard = new Option<bool>("--tensorboard") { Description = "Also write TensorBoard event files to <adapter folder>/tensorboard" };
        var command = new Command("train", "LoRA fine-tuning on one task; reports exact-match accuracy before and after and saves the adapter")
        {
            seed, task, evalFile, trainExamples, evalExamples, epochs, maxSteps,
            batchSize, microBatchSize, lr, warmup, cutoff, rank, alpha, dropout, targets, template, output, tensorBoard,
        };
        modelOptions.AddTo(command);
        command.SetAction(parse =>
        {
            string root = modelOptions.DataRootOf(parse);
            var (trainPath, defaultEval, taskName) = TaskFiles.Resolve(parse.GetValue(task)!, root);
            var train = Limit(TaskFileReader.Read(trainPath), parse.GetValue(trainExamples));
            string? evalPath = parse.GetValue(evalFile) ?? defaultEval;
            var eval = evalPath is null ? [] : Limit(TaskFileReader.Read(evalPath), parse.GetValue(evalExamples));

            var fineTune = new FineTuneSettings
            {
                Epochs = parse.GetValue(epochs), MaxSteps = parse.GetValue(maxSteps), BatchSize = parse.GetValue(batchSize),
                MicroBatchSize = parse.GetValue(microBatchSize), Cutoff = parse.GetValue(cutoff), Seed = parse.GetValue(seed),
                PromptTemplate = parse.GetValue(template) ?? (ModelAliases.IsProjectModel(parse.GetValue(modelOptions.Model)!) ? PromptTemplate.Plain : PromptTemplate.Alpaca),
            };
            var optimizer = new OptimizerSettings { LearningRate = parse.GetValue(lr), WarmupSteps = parse.GetValue(warmup) };
            var lora = new LoraSettings
            {
                Rank = parse.GetValue(rank), Alpha = parse.GetValue(alpha), Dropout = parse.GetValue(dropout),
                TargetModules = parse.GetValue(targets)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            };
            fineTune.Validate();
            optimizer.Validate();
            lora.Validate();

            using var session = modelOptions.Open(parse);
            TorchRuntime.Seed(fineTune.Seed);
            var adapter = session.Model.AttachLora(lora);
            var encoder = session.Model.CreateEncoder(session.Tokenizer, fineTune);
            var evaluator = new GenerationEvaluator(session.Model, session.Tokenizer, encoder);
            Log.Information("Task {Task}: {Train} training examples from {TrainPath}; evaluating on {Eval} from {EvalPath}; LoRA {Scalars:N0} scalars",
                taskName, train.Count, trainPath, eval.Count, evalPath ?? "(none)", adapter.ScalarCount);

            double before = eval.Count > 0 ? GenerationEvaluator.Accuracy(evaluator.Predict(eval)) : double.NaN;
            string adapterFolder = parse.GetValue(output)
                ?? Path.Combine(root, "runs", $"{taskName}-{DateTime.UtcNow:yyyyMMdd-HHmmss}", "adapter");
            using var logs = new TrainingLogSet(adapterFolder, parse.GetValue(tensorBoard), new MetricsTrainingLog());
            logs.ResumeAt(0, 0);   // a reused --out folder starts a fresh log
            var clock = Stopwatch.StartNew();
            var display = new ProgressDisplay();
            // Plain LoRA is the continual trainer's task loop with no memory and no fusion.
            var settings = new ContinualSettings { Method = ContinualMethod.SeqLora, FineTune = fineTune, Optimizer = optimizer, Lora = lora, SelectBestByValidationLoss = false };
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

using System.Diagnostics;
using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Evaluation;
using RecurrentKif.Gpu.Lora;
using RecurrentKif.Gpu.Models;
using RecurrentKif.Gpu.Runtime;
using RecurrentKif.Gpu.Tokenization;
using RecurrentKif.Gpu.Training;
using Serilog;
using TorchSharp;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Continual;

/// <summary>
/// Runs a task sequence with one method and fills the accuracy matrix (docs/algorithm.md §3.7 and §5):
/// one LoRA adapter is attached once and carried from task to task; before task k the replay memory holds the
/// class-balanced 2 % of every earlier task (drawn once per task from one seeded stream, so a task's share never
/// changes) and the validation set holds 25 shuffled dev examples of every task so far; after task k every task of
/// the sequence is evaluated, giving row k of a[j, i].
/// </summary>
public sealed class ContinualTrainer(ILanguageModel model, ITextTokenizer tokenizer, ContinualSettings settings)
{
    public ContinualRunResult Run(IReadOnlyList<ContinualTask> tasks, Action<TrainingProgress>? progress = null, CancellationToken cancellation = default)
    {
        settings.Validate();
        if (tasks.Count == 0) throw new ArgumentException("a continual run needs at least one task");
        long seed = settings.FineTune.Seed;
        TorchRuntime.Seed(seed);
        var adapter = model.AttachLora(settings.Lora);
        var encoder = model.CreateEncoder(tokenizer, settings.FineTune);
        var taskTrainer = new TaskTrainer(model, adapter, encoder, settings);
        var evaluator = new GenerationEvaluator(model, tokenizer, encoder, settings.EvaluationBatchSize, settings.MaxNewTokens);
        var matrix = new AccuracyMatrix(tasks.Select(t => t.Name).ToList());
        var stats = new List<TaskTrainingStats>();
        var clock = Stopwatch.StartNew();
        string method = settings.Method.ToString();

        var planner = new TaskPlanner(tasks, settings);
        if (settings.Method == ContinualMethod.MultiTask)
        {
            // The upper bound: one training run over every task's data; only the final row exists.
            stats.Add(taskTrainer.Train(planner.JointPlan(), Report(progress, method, 0, 1), cancellation));
            EvaluateRow(evaluator, tasks, matrix, tasks.Count - 1);
            return new ContinualRunResult(settings.Method, matrix, stats, clock.Elapsed.TotalSeconds);
        }

        using var staticMerge = settings.Method == ContinualMethod.StaticImportance ? new StaticImportanceMerge(settings) : null;
        for (int k = 0; k < tasks.Count; k++)
        {
            var before = staticMerge is null ? null : adapter.CloneParameters();
            try
            {
                using var session = taskTrainer.Start(planner.Plan(k));
                TaskTrainer.Continue(session, Report(progress, method, k, tasks.Count), cancellation);
                var taskStats = session.Finish();
                if (staticMerge is not null)
                    taskStats = taskStats with { FusionShares = staticMerge.MergeAtTaskEnd(adapter, before!, session.WholeTask!) };
                stats.Add(taskStats);
            }
            finally
            {
                if (before is not null) foreach (var t in before) t.Dispose();
            }
            var done = stats[^1];
            Log.Information("{Method} task {Index}/{Count} {Task}: {Steps} steps, {Fusions} fusions, training loss {Loss:F4} (first answer token {FirstToken:F4}, last 10 % of steps), validation loss {Validation:F4}, first-token accuracy {Accuracy:P1}",
                method, k + 1, tasks.Count, tasks[k].Name, done.InnerSteps, done.Fusions, done.FinalLoss, done.FinalFirstTokenLoss,
                done.LastValidationLoss ?? double.NaN, done.LastFirstTokenAccuracy);
            EvaluateRow(evaluator, tasks, matrix, k);
        }
        return new ContinualRunResult(settings.Method, matrix, stats, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Row <paramref name="afterTask"/> of the matrix: every task's evaluation split, greedy exact match.</summary>
    private static void EvaluateRow(GenerationEvaluator evaluator, IReadOnlyList<ContinualTask> tasks, AccuracyMatrix matrix, int afterTask)
    {
        var row = evaluator.AccuracyRow(tasks.Select(t => t.Evaluation));
        for (int i = 0; i < tasks.Count; i++) matrix[afterTask, i] = row[i];
        Log.Information("after {Task}: {Row}", tasks[afterTask].Name,
            string.Join("  ", tasks.Select((t, i) => $"{t.Name} {matrix[afterTask, i]:P0}")));
    }

    private static Action<TrainingProgress>? Report(Action<TrainingProgress>? progress, string method, int index, int count) =>
        progress is null ? null : p => progress(p with { Phase = $"{method} {index + 1}/{count} {p.Phase}" });
}

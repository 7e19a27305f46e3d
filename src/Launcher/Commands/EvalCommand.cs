using System.CommandLine;
using RecurrentKif.Actors.Pipeline;
using RecurrentKif.Gpu.Evaluation;

namespace RecurrentKif.Launcher.Commands;

/// <summary><c>rkif eval config.conf</c>: evaluate a run's adapter on every task of the run (exact match, greedy).</summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var config = RunCommand.ConfigArgument();
        var set = RunCommand.SetOption();
        var task = new Option<int?>("--task") { Description = "Use the adapter as it was after this task (0-based; default: the last trained task)" };
        var command = new Command("eval", "Evaluate a run's adapter on every task of its sequence (use --set tasks.eval-per-task=0 for whole splits)") { config, set, task };
        command.SetAction(async (parse, _) =>
        {
            var run = RunCommand.Load(parse, config, set);
            var (host, state, k) = await RunArtifacts.OpenAdapterAsync(run, parse.GetValue(task));
            using (host)
            {
                var tasks = TaskCatalog.LoadRunTasks(run, state);
                var evaluator = new GenerationEvaluator(host.Model, host.Tokenizer, host.Encoder, run.Continual.EvaluationBatchSize, run.Continual.MaxNewTokens);
                Console.WriteLine($"adapter after task {k + 1} ({state.TaskNames[k]}):");
                foreach (var t in tasks)
                {
                    var predictions = evaluator.Predict(t.Evaluation);
                    Console.WriteLine($"  {t.Name,-16} {GenerationEvaluator.Accuracy(predictions),7:P1}  ({predictions.Count} examples{(t.EvaluatedOnDev ? ", dev split" : "")})");
                }
            }
            return 0;
        });
        return command;
    }
}

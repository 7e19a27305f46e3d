using Akka.Actor;
using RecurrentKif.Actors.Pipeline;
using RecurrentKif.Gpu.Checkpoints;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Evaluation;
using Serilog;

namespace RecurrentKif.Actors.Stages;

/// <summary>
/// Row k of the accuracy matrix: loads task k's final adapter and evaluates every task of the sequence by greedy
/// generation and exact match (docs/algorithm.md §5.3). Uses the node's model replica while the learner is idle.
/// </summary>
public sealed class EvaluatorActor : ReceiveActor
{
    public EvaluatorActor(ComputeContext compute, ContinualSettings settings)
    {
        Receive<EvaluateAfterTask>(m =>
        {
            var tasks = m.Tasks;
            var host = compute.Host;
            var evaluator = new GenerationEvaluator(host.Model, host.Tokenizer, host.Encoder, settings.EvaluationBatchSize, settings.MaxNewTokens);
            AdapterCheckpoint.Restore(host.Adapter, m.AdapterCheckpoint, restoreRandomState: false);
            var row = evaluator.AccuracyRow(tasks.Select(t => t.Evaluation));
            Log.Information("after {Task}: {Row}", tasks[m.TaskIndex].Name, string.Join("  ", tasks.Select((t, i) => $"{t.Name} {row[i]:P0}")));
            Sender.Tell(new RowEvaluated(m.TaskIndex, row));
        });
    }

    public static Props Props(ComputeContext compute, ContinualSettings settings) =>
        Akka.Actor.Props.Create(() => new EvaluatorActor(compute, settings));
}

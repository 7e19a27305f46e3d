using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Lora;
using RecurrentKif.Gpu.Models;
using RecurrentKif.Gpu.Training;

namespace RecurrentKif.Gpu.Continual;

/// <summary>
/// Trains the shared adapter on one task (docs/algorithm.md §3.5–3.7), the whole algorithm in one loop:
/// <code>
/// for t in 1..N:                                  inner learner: one optimizer step on the task (+ inner importance)
///     if memory and t mod Q == 0:
///         θ_Q ← θ                                  the cycle's inner end
///         repeat M_out: outer step on memory        outer learner (+ outer importance at the current weights)
///         m_in, m_out ← top-20 % masks of the scores knowledge identification
///         θ ← θ_ref + w_in ⊙ τ_in + w_out ⊙ τ_out    pruning + merging; θ_ref ← θ; inner importance reset
///     if t mod EvalEvery == 0: keep θ if its validation loss is the best so far
/// θ ← best candidate
/// </code>
/// With global merging ("+ GM") the only cycle end is the task's last step, with every cycle's outer steps.
/// The stages live in <see cref="TaskSession"/>; the actor pipeline drives the same session stage by stage.
/// </summary>
public sealed class TaskTrainer(ILanguageModel model, LoraAdapter adapter, IExampleEncoder encoder, ContinualSettings settings)
{
    public TaskSession Start(TaskPlan plan) => new(model, adapter, encoder, settings, plan);

    public TaskTrainingStats Train(TaskPlan plan, Action<TrainingProgress>? progress = null, CancellationToken cancellation = default)
    {
        using var session = Start(plan);
        Continue(session, progress, cancellation);
        return session.Finish();
    }

    /// <summary>Runs a (new or restored) session to its last step.</summary>
    public static void Continue(TaskSession session, Action<TrainingProgress>? progress = null, CancellationToken cancellation = default)
    {
        if (session.Step == 0) session.WarnAboutSettings();
        while (!session.IsFinished)
        {
            cancellation.ThrowIfCancellationRequested();
            var step = session.InnerStep();
            if (session.CycleDue) RunCycleEnd(session);
            if (session.ValidationDue) session.ValidateCandidate();
            progress?.Invoke(session.Progress(step));
        }
    }

    /// <summary>
    /// Outer learner, identification and fusion at the end of a cycle; the compute-matched control stops after the
    /// outer steps (θ continues from where they left it).
    /// </summary>
    public static void RunCycleEnd(TaskSession session)
    {
        if (!session.Fuses)
        {
            for (int o = 0; o < session.OuterStepsPerCycle; o++) session.OuterStep();
            return;
        }
        using var afterInner = new DisposableList(session.SnapshotWeights());
        for (int o = 0; o < session.OuterStepsPerCycle; o++) session.OuterStep();
        if (session.ImportanceScores() is not { } scores)
        {
            session.SkipFusion();
            return;
        }
        using var inScores = new DisposableList(scores.Inner);
        using var outScores = new DisposableList(scores.Outer);
        // The cycle end as pure steps (docs/algorithm.md §3.3–3.4), the same calls the pipeline's stages make.
        using var masks = KnowledgeIdentification.Identify(inScores.Items, outScores.Items, session.Kif);
        using var weights = FusionWeighting.Weigh(masks.In, masks.Out, inScores.Items, outScores.Items, session.Kif);
        using var fused = new DisposableList(KnowledgeMerge.Merge(session.Reference!, afterInner.Items, session.Adapter.Parameters, weights.In, weights.Out));
        session.Adapter.CopyFrom(fused.Items);
        session.CompleteFusion(weights.Shares);
    }
}

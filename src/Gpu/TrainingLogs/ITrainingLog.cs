namespace RecurrentKif.Gpu.TrainingLogs;

/// <summary>
/// A record of training kept beside a run (docs/observability.md): the per-step JSONL, TensorBoard events, metrics.
/// Writers buffer; <see cref="Flush"/> is called at every commit and at a task's end, so a crash loses at most the
/// steps after the last commit, which a resumed run trains again. None of them may slow the training loop.
/// </summary>
public interface ITrainingLog : IDisposable
{
    /// <summary>
    /// Training of <paramref name="task"/> (re)starts after its step <paramref name="committedStep"/> (0: from the
    /// task's start): whatever the log holds past that point came from an attempt that was not committed, and goes.
    /// </summary>
    void ResumeAt(int task, int committedStep);

    void Step(StepLogEntry entry);

    void Fusion(FusionLogEntry entry);

    void Flush();
}

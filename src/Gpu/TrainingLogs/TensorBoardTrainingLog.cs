using static TorchSharp.torch.utils;

namespace RecurrentKif.Gpu.TrainingLogs;

/// <summary>
/// TensorBoard event files through TorchSharp's SummaryWriter (docs/observability.md §2): per step train/loss,
/// train/first_token_loss, train/learning_rate, train/grad_norm and train/tokens_per_second, per fusion the four mask
/// shares, all against the run's global step. The SummaryWriter opens and closes its file for every event, so events
/// wait in memory and are written at <see cref="Flush"/> (every commit, the task end), off the step's path.
/// Events already written cannot be taken back: a step redone after a crash between a checkpoint and its journal
/// entry appears twice (TensorBoard draws both points).
/// </summary>
public sealed class TensorBoardTrainingLog : ITrainingLog
{
    public const string FolderName = "tensorboard";

    private readonly TorchSharp.Modules.SummaryWriter _writer;
    private readonly List<Pending> _pending = [];
    private readonly Func<int, int, int> _globalStep;

    /// <param name="globalStep">(task, step) → the step's number on the run's one axis.</param>
    public TensorBoardTrainingLog(string folder, Func<int, int, int> globalStep)
    {
        _writer = tensorboard.SummaryWriter(System.IO.Path.Combine(folder, FolderName));
        _globalStep = globalStep;
    }

    public string Folder => _writer.LogDir;

    // A resumed attempt redoes the steps after its commit; what the failed one left in memory of them was never committed.
    public void ResumeAt(int task, int committedStep) =>
        _pending.RemoveAll(p => p.Task > task || (p.Task == task && p.Step > committedStep));

    public void Step(StepLogEntry e)
    {
        Add(e.Task, e.Step, "train/loss", e.Loss);
        Add(e.Task, e.Step, "train/first_token_loss", e.FirstTokenLoss);
        Add(e.Task, e.Step, "train/learning_rate", e.LearningRate);
        Add(e.Task, e.Step, "train/grad_norm", e.GradNorm);
        Add(e.Task, e.Step, "train/tokens_per_second", e.TokensPerSecond);
    }

    public void Fusion(FusionLogEntry e)
    {
        Add(e.Task, e.Step, "fusion/in_only", e.InOnlyShare);
        Add(e.Task, e.Step, "fusion/out_only", e.OutOnlyShare);
        Add(e.Task, e.Step, "fusion/both", e.BothShare);
        Add(e.Task, e.Step, "fusion/neither", e.NeitherShare);
    }

    public void Flush()
    {
        foreach (var p in _pending) _writer.add_scalar(p.Tag, p.Value, p.GlobalStep, p.WallTime);
        _pending.Clear();
    }

    public void Dispose() => Flush();

    private void Add(int task, int step, string tag, double value)
    {
        // TensorBoard's wall time is seconds since the Unix epoch (whole seconds in TorchSharp's API): when the step ran.
        if (double.IsFinite(value))
            _pending.Add(new Pending(task, step, tag, (float)value, _globalStep(task, step), DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
    }

    private readonly record struct Pending(int Task, int Step, string Tag, float Value, int GlobalStep, long WallTime);
}

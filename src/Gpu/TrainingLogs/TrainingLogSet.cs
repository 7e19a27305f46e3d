namespace RecurrentKif.Gpu.TrainingLogs;

/// <summary>
/// The training logs of one learner, written together: trainer_log.jsonl always, TensorBoard events when switched on,
/// and any further sinks (the node's metrics). The JSONL file also numbers steps across tasks for TensorBoard.
/// </summary>
public sealed class TrainingLogSet : ITrainingLog
{
    private readonly JsonlTrainingLog _jsonl;
    private readonly List<ITrainingLog> _all;

    /// <param name="folder">Where the files go: the run folder (one learner per run folder).</param>
    public TrainingLogSet(string folder, bool tensorBoard, params IEnumerable<ITrainingLog> more)
    {
        _jsonl = new JsonlTrainingLog(folder);
        _all = [_jsonl];
        if (tensorBoard) _all.Add(new TensorBoardTrainingLog(folder, _jsonl.GlobalStep));
        _all.AddRange(more);
    }

    public string JsonlPath => _jsonl.Path;

    public void ResumeAt(int task, int committedStep)
    {
        foreach (var log in _all) log.ResumeAt(task, committedStep);
    }

    public void Step(StepLogEntry entry)
    {
        foreach (var log in _all) log.Step(entry);
    }

    public void Fusion(FusionLogEntry entry)
    {
        foreach (var log in _all) log.Fusion(entry);
    }

    public void Flush()
    {
        foreach (var log in _all) log.Flush();
    }

    public void Dispose()
    {
        foreach (var log in _all) log.Dispose();
    }
}

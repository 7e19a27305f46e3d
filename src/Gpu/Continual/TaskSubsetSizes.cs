namespace RecurrentKif.Gpu.Continual;

/// <summary>
/// How many examples of each task to use; 0 means the whole split. Small sizes make CI and smoke runs fast;
/// the paper's protocol is all zeros (its files already hold 1 000 train / 500 dev per task).
/// </summary>
/// <param name="TrainPerTask">Training examples per task.</param>
/// <param name="DevPerTask">Dev (validation / checkpoint selection) examples per task.</param>
/// <param name="EvalPerTask">Evaluation examples per task (from test, or from dev where no test split exists).</param>
public sealed record TaskSubsetSizes(int TrainPerTask, int DevPerTask, int EvalPerTask)
{
    /// <summary>Every split in full.</summary>
    public static TaskSubsetSizes All { get; } = new(0, 0, 0);

    public int TrainPerTask { get; } = NonNegative(TrainPerTask, nameof(TrainPerTask));
    public int DevPerTask { get; } = NonNegative(DevPerTask, nameof(DevPerTask));
    public int EvalPerTask { get; } = NonNegative(EvalPerTask, nameof(EvalPerTask));

    private static int NonNegative(int value, string name)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value, name);
        return value;
    }
}

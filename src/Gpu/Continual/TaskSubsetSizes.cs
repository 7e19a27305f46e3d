namespace RecurrentKif.Gpu.Continual;

/// <summary>
/// How many examples of each task to use; 0 means the whole split. Small sizes make CI and smoke runs fast;
/// the paper's protocol is all zeros (its files already hold 1 000 train / 500 dev per task).
/// <paramref name="MaxInputWords"/> shortens long instance texts for CPU-scale runs (<see cref="InputTrimmer"/>); 0 keeps them whole.
/// </summary>
/// <param name="TrainPerTask">Training examples per task.</param>
/// <param name="DevPerTask">Dev (validation / checkpoint selection) examples per task.</param>
/// <param name="EvalPerTask">Evaluation examples per task (from test, or from dev where no test split exists).</param>
/// <param name="MaxInputWords">Words kept of each example's input, every split alike (0 = all).</param>
public sealed record TaskSubsetSizes(int TrainPerTask, int DevPerTask, int EvalPerTask, int MaxInputWords = 0)
{
    /// <summary>Every split in full.</summary>
    public static TaskSubsetSizes All { get; } = new(0, 0, 0);

    public int TrainPerTask { get; } = NonNegative(TrainPerTask, nameof(TrainPerTask));
    public int DevPerTask { get; } = NonNegative(DevPerTask, nameof(DevPerTask));
    public int EvalPerTask { get; } = NonNegative(EvalPerTask, nameof(EvalPerTask));
    public int MaxInputWords { get; } = NonNegative(MaxInputWords, nameof(MaxInputWords));

    private static int NonNegative(int value, string name)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value, name);
        return value;
    }
}

namespace RecurrentKif.Gpu.Continual;

/// <summary>What training one task did: steps, fusions and their mask shares, checkpoint selection, time, losses per step.</summary>
public sealed record TaskTrainingStats(
    string Task,
    int InnerSteps,
    int OuterSteps,
    IReadOnlyList<MaskShares> FusionShares,
    double? BestValidationLoss,
    double? LastValidationLoss,
    int SelectedStep,
    long TrainingTokens,
    double Seconds,
    IReadOnlyList<double> Losses)
{
    public int Fusions => FusionShares.Count;

    /// <summary>Per optimizer step, like <see cref="Losses"/>: the loss of the answer's first token (NaN where no example had one).</summary>
    public IReadOnlyList<double> FirstTokenLosses { get; init; } = [];

    /// <summary>Every validation of a checkpoint candidate, in step order (empty when selection is off).</summary>
    public IReadOnlyList<ValidationPoint> Validations { get; init; } = [];

    /// <summary>Mean loss over the last tenth of the steps (NaN when none is finite), for one-line summaries.</summary>
    public double FinalLoss => LastTenthMean(Losses);

    /// <summary>Mean first-answer-token loss over the last tenth of the steps: the decision's loss next to <see cref="FinalLoss"/>.</summary>
    public double FinalFirstTokenLoss => LastTenthMean(FirstTokenLosses);

    /// <summary>The latest validation's first-token accuracy (NaN when the task was never validated).</summary>
    public double LastFirstTokenAccuracy => Validations.Count == 0 ? double.NaN : Validations[^1].FirstTokenAccuracy;

    private static double LastTenthMean(IReadOnlyList<double> values)
    {
        var tail = values.Skip(values.Count - Math.Max(1, values.Count / 10)).Where(double.IsFinite).ToArray();
        return tail.Length == 0 ? double.NaN : tail.Average();
    }
}

/// <summary>The outcome of a whole run: the accuracy matrix and how each task went.</summary>
public sealed record ContinualRunResult(ContinualMethod Method, AccuracyMatrix Accuracy, IReadOnlyList<TaskTrainingStats> Tasks, double Seconds);

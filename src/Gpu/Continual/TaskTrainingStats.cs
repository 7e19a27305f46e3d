namespace RecurrentKif.Gpu.Continual;

/// <summary>What training one task did: steps, fusions and their mask shares, checkpoint selection, time.</summary>
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
}

/// <summary>The outcome of a whole run: the accuracy matrix and how each task went.</summary>
public sealed record ContinualRunResult(ContinualMethod Method, AccuracyMatrix Accuracy, IReadOnlyList<TaskTrainingStats> Tasks, double Seconds);

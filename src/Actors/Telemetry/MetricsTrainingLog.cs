using RecurrentKif.Gpu.TrainingLogs;

namespace RecurrentKif.Actors.Telemetry;

/// <summary>Feeds each step and fusion of a learner into <see cref="RkifMetrics"/>.</summary>
public sealed class MetricsTrainingLog : ITrainingLog
{
    public void ResumeAt(int task, int committedStep) { }

    public void Step(StepLogEntry entry)
    {
        RkifMetrics.Steps.Add(1);
        RkifMetrics.Tokens.Add(entry.Tokens);
        RkifMetrics.Loss.Record(entry.Loss);
        RkifMetrics.TokensPerSecond.Record(entry.TokensPerSecond);
    }

    public void Fusion(FusionLogEntry entry) => RkifMetrics.Fusions.Add(1);

    public void Flush() { }

    public void Dispose() { }
}

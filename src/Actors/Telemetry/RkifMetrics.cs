using System.Diagnostics.Metrics;

namespace RecurrentKif.Actors.Telemetry;

/// <summary>
/// The "RecurrentKif" meter (System.Diagnostics.Metrics) and its instruments, for a long-running node's dashboards
/// (docs/observability.md §4). Recording costs nothing measurable while nobody listens; an exporter or a
/// MeterListener turns them on. Instruments are process-wide, as Meter instruments are meant to be.
/// </summary>
public static class RkifMetrics
{
    public const string MeterName = "RecurrentKif";

    public static readonly Meter Meter = new(MeterName, typeof(RkifMetrics).Assembly.GetName().Version?.ToString());

    public static readonly Counter<long> Steps = Meter.CreateCounter<long>("rkif.training.steps", "{step}", "Optimizer steps (inner learner) trained");
    public static readonly Counter<long> Tokens = Meter.CreateCounter<long>("rkif.training.tokens", "{token}", "Tokens (prompt + answer) trained on");
    public static readonly Counter<long> Fusions = Meter.CreateCounter<long>("rkif.training.fusions", "{fusion}", "Recurrent-KIF cycles ended by a fusion");
    public static readonly Gauge<double> Loss = Meter.CreateGauge<double>("rkif.training.loss", null, "Training loss of the latest step");
    public static readonly Gauge<double> TokensPerSecond = Meter.CreateGauge<double>("rkif.training.tokens_per_second", "{token}/s", "Training throughput of the current task so far");
    public static readonly Counter<long> CheckpointsCommitted = Meter.CreateCounter<long>("rkif.checkpoints.committed", "{checkpoint}", "Step checkpoints written and journaled");
    public static readonly Counter<long> Rollbacks = Meter.CreateCounter<long>("rkif.training.rollbacks", "{rollback}", "Attempts rolled back to the last commit (NaN loss, failed stage)");
    public static readonly Counter<long> TasksTrained = Meter.CreateCounter<long>("rkif.tasks.trained", "{task}", "Tasks whose final adapter is journaled");
    public static readonly Counter<long> TasksEvaluated = Meter.CreateCounter<long>("rkif.tasks.evaluated", "{task}", "Tasks finished: their accuracy row is journaled");
    public static readonly Counter<long> TasksSubmitted = Meter.CreateCounter<long>("rkif.gateway.tasks.submitted", "{task}", "Task submissions received by this node's gateway");
    public static readonly Counter<long> TasksRefused = Meter.CreateCounter<long>("rkif.gateway.tasks.refused", "{task}", "Task submissions refused (tag reason)");
    public static readonly Counter<long> JournalWriteFailures = Meter.CreateCounter<long>("rkif.journal.write_failures", "{event}", "Journal writes that failed or were rejected");
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using RecurrentKif.Gpu.Continual;

namespace RecurrentKif.Actors.Settings;

/// <summary>
/// One run, bound once from HOCON at start-up and validated: what to train (model, tasks, method and every
/// hyperparameter, as <see cref="ContinualSettings"/>) and how to run it (device, data root, journal, checkpoints).
/// </summary>
public sealed record RunConfiguration
{
    public required string SourceFile { get; init; }
    public required string RunId { get; init; }
    public required string DataRoot { get; init; }
    public required string Model { get; init; }
    public required string Device { get; init; }
    public required bool Bf16 { get; init; }
    public required int Threads { get; init; }
    public required string TaskSource { get; init; }
    public required string TaskOrder { get; init; }
    public required TaskSubsetSizes Sizes { get; init; }
    public required ContinualSettings Continual { get; init; }
    /// <summary>Commit every this many steps; 0 = every cycle (Q steps).</summary>
    public required int CommitEvery { get; init; }
    public required int KeepCheckpoints { get; init; }
    public required JournalSettings Journal { get; init; }
    /// <summary>Logs and metrics beside the run (docs/observability.md); not part of <see cref="Fingerprint"/>.</summary>
    public required ObservabilitySettings Observability { get; init; }

    public string RunFolder => Path.Combine(DataRoot, "runs", RunId);
    public string CheckpointFolder => Path.Combine(RunFolder, "checkpoints");
    /// <summary>Where the rolling log files go (docs/observability.md §3).</summary>
    public string LogFolder => Path.Combine(RunFolder, "logs");
    public int EffectiveCommitEvery => CommitEvery > 0 ? CommitEvery : Continual.Kif.InnerSteps;

    /// <summary>
    /// A hash of everything that changes the results. A run resumed with a different fingerprint is refused:
    /// continuing a half-trained adapter under other settings would silently mix two experiments.
    /// </summary>
    public string Fingerprint()
    {
        string json = JsonSerializer.Serialize(new { Model, Bf16, TaskSource, TaskOrder, Sizes, Continual, CommitEvery });
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(json)))[..16].ToLowerInvariant();
    }
}

namespace RecurrentKif.Gpu.Checkpoints;

/// <summary>Where a checkpoint is and the SHA-256 of its complete bytes, as recorded in the journal.</summary>
public sealed record CheckpointReference(string Path, string Sha256);

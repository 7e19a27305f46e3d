namespace RecurrentKif.Gpu.Checkpoints;

/// <summary>A checkpoint is missing, corrupt (hash mismatch) or does not fit the run; the message names the file.</summary>
public sealed class CheckpointException(string message, Exception? inner = null) : Exception(message, inner);

namespace RecurrentKif.Gpu.Data;

/// <summary>The complete state of a <see cref="SeededRandom"/> (xoshiro256** words), for checkpoints.</summary>
public sealed record SeededRandomState(ulong S0, ulong S1, ulong S2, ulong S3);

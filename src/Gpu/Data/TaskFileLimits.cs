namespace RecurrentKif.Gpu.Data;

/// <summary>
/// How much of a task file is read and parsed, and whether a symbolic link may lead to it. The run's own configured
/// files use <see cref="None"/>; files another party submitted use the gateway's limits with <see cref="NoFollow"/>
/// (docs/architecture.md §10).
/// </summary>
public sealed record TaskFileLimits(long MaxBytes, int MaxRecords, bool NoFollow)
{
    /// <summary>No limit beyond what one array can hold; links are followed (a user's own data folder may use them).</summary>
    public static TaskFileLimits None { get; } = new(Array.MaxLength, int.MaxValue, NoFollow: false);
}

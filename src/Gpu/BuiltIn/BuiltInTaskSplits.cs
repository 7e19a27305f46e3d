using RecurrentKif.Gpu.Data;

namespace RecurrentKif.Gpu.BuiltIn;

/// <summary>The three splits of one generated task.</summary>
public sealed record BuiltInTaskSplits(
    string TaskName,
    IReadOnlyList<TaskExample> Train,
    IReadOnlyList<TaskExample> Dev,
    IReadOnlyList<TaskExample> Test);

using RecurrentKif.Gpu.Data;

namespace RecurrentKif.Gpu.Continual;

/// <summary>
/// One task of a sequence: its training examples, its dev split (validation / checkpoint selection) and the split it
/// is evaluated on. <see cref="EvaluatedOnDev"/> is true where no test split exists (dbpedia, yahoo): reports say so.
/// </summary>
public sealed record ContinualTask(
    string Name,
    IReadOnlyList<TaskExample> Train,
    IReadOnlyList<TaskExample> Dev,
    IReadOnlyList<TaskExample> Evaluation,
    bool EvaluatedOnDev);

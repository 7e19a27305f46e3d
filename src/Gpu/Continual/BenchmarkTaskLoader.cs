using RecurrentKif.Gpu.Data;
using Serilog;

namespace RecurrentKif.Gpu.Continual;

/// <summary>
/// Loads a task sequence from the long-sequence layout <c>&lt;dataRoot&gt;/{train,dev,test}/&lt;task&gt;.json</c>
/// (or <c>.jsonl</c>, <see cref="TaskFilePaths"/>; docs/algorithm.md §5.2) and cuts the subsets asked for. Subsets are label-balanced (<see cref="StratifiedSample"/>)
/// and a pure function of (seed, task name, split): a task gets the same data whatever its place in the sequence.
/// </summary>
public static class BenchmarkTaskLoader
{
    // Separate streams per split, so changing one split's size leaves the others' subsets unchanged.
    private const long TrainStream = 1, DevStream = 2, EvaluationStream = 3;

    public static IReadOnlyList<ContinualTask> Load(string dataRoot, IReadOnlyList<string> taskNames, TaskSubsetSizes sizes, long seed)
    {
        ArgumentNullException.ThrowIfNull(dataRoot);
        ArgumentNullException.ThrowIfNull(taskNames);
        ArgumentNullException.ThrowIfNull(sizes);
        if (!Directory.Exists(dataRoot))
            throw new DirectoryNotFoundException($"The task data folder '{dataRoot}' does not exist.");
        return taskNames.Select(name => Trimmed(LoadTask(dataRoot, name, sizes, seed), sizes.MaxInputWords)).ToArray();
    }

    /// <summary>One task of the folder, cut exactly as it would be in any sequence (a task's data does not depend on its place).</summary>
    public static ContinualTask LoadOne(string dataRoot, string taskName, TaskSubsetSizes sizes, long seed) =>
        Load(dataRoot, [taskName], sizes, seed)[0];

    private static ContinualTask LoadTask(string dataRoot, string name, TaskSubsetSizes sizes, long seed)
    {
        IReadOnlyList<TaskExample> train = ReadRequired(dataRoot, "train", name);
        IReadOnlyList<TaskExample> dev = ReadRequired(dataRoot, "dev", name);
        string? testPath = TaskFilePaths.Find(dataRoot, "test", name);
        IReadOnlyList<TaskExample>? test = testPath is null ? null : TaskFileReader.Read(testPath);
        return Cut(name, train, dev, test, TaskFilePaths.Expected(dataRoot, "test", name), sizes, seed);
    }

    /// <summary>
    /// The task's subsets from splits already read (e.g. a submitted task's stored copy, hashed on the same bytes), cut
    /// exactly as <see cref="Load"/> cuts them. <paramref name="testPlace"/> names where a missing test split was expected.
    /// </summary>
    public static ContinualTask FromSplits(string name, IReadOnlyList<TaskExample> train, IReadOnlyList<TaskExample> dev,
        IReadOnlyList<TaskExample>? test, string testPlace, TaskSubsetSizes sizes, long seed)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        return Trimmed(Cut(name, train, dev, test, testPlace, sizes, seed), sizes.MaxInputWords);
    }

    private static ContinualTask Cut(string name, IReadOnlyList<TaskExample> train, IReadOnlyList<TaskExample> dev,
        IReadOnlyList<TaskExample>? test, string testPlace, TaskSubsetSizes sizes, long seed)
    {
        long taskSeed = SeededRandom.DeriveSeed(seed, SeededRandom.StableHash(name));
        var trainSubset = Subset(train, sizes.TrainPerTask, taskSeed, TrainStream);
        if (test is not null)
        {
            var evaluation = Subset(test, sizes.EvalPerTask, taskSeed, EvaluationStream);
            return new ContinualTask(name, trainSubset, Subset(dev, sizes.DevPerTask, taskSeed, DevStream), evaluation, EvaluatedOnDev: false);
        }

        Log.Warning("Task {Task}: no test split at {TestPath}; it is evaluated on its dev split, and reports mark it so", name, testPlace);
        var (validation, evaluationOnDev) = SplitDev(name, dev, sizes, taskSeed);
        return new ContinualTask(name, trainSubset, validation, evaluationOnDev, EvaluatedOnDev: true);
    }

    /// <summary>
    /// Where the dev split doubles as the evaluation split, the evaluation subset is drawn first (it is what the
    /// reports are about), and the validation subset comes from the remaining dev examples, so choosing a
    /// checkpoint never looks at an evaluated example. Only when the dev split is too small for both sizes does
    /// the validation subset take the shortfall from the evaluation subset; that overlap is logged. With
    /// <c>EvalPerTask = 0</c> (all of dev) every validation example overlaps.
    /// </summary>
    private static (TaskExample[] Validation, TaskExample[] Evaluation) SplitDev(string name, IReadOnlyList<TaskExample> dev, TaskSubsetSizes sizes, long taskSeed)
    {
        int[] evaluationIndices = SubsetIndices(dev, sizes.EvalPerTask, taskSeed, EvaluationStream);
        var inEvaluation = new HashSet<int>(evaluationIndices);
        TaskExample[] evaluation = evaluationIndices.Select(i => dev[i]).ToArray();
        TaskExample[] rest = Enumerable.Range(0, dev.Count).Where(i => !inEvaluation.Contains(i)).Select(i => dev[i]).ToArray();

        int wanted = sizes.DevPerTask == 0 ? dev.Count : Math.Min(sizes.DevPerTask, dev.Count);
        if (rest.Length >= wanted) return (Subset(rest, wanted, taskSeed, DevStream), evaluation);

        int shortfall = wanted - rest.Length;
        Log.Warning(
            "Task {Task}: its dev split ({DevCount}) cannot hold {EvalCount} evaluation and {ValidationCount} validation examples apart; {Overlap} validation examples are also evaluated",
            name, dev.Count, evaluation.Length, wanted, shortfall);
        var topUp = Subset(evaluation, shortfall, taskSeed, DevStream);
        return ([.. rest, .. topUp], evaluation);
    }

    private static TaskExample[] Subset(IReadOnlyList<TaskExample> items, int count, long taskSeed, long stream) =>
        SubsetIndices(items, count, taskSeed, stream).Select(i => items[i]).ToArray();

    private static ContinualTask Trimmed(ContinualTask task, int maxInputWords) => maxInputWords == 0 ? task : task with
    {
        Train = [.. task.Train.Select(e => InputTrimmer.Trim(e, maxInputWords))],
        Dev = [.. task.Dev.Select(e => InputTrimmer.Trim(e, maxInputWords))],
        Evaluation = [.. task.Evaluation.Select(e => InputTrimmer.Trim(e, maxInputWords))],
    };

    private static int[] SubsetIndices(IReadOnlyList<TaskExample> items, int count, long taskSeed, long stream) =>
        StratifiedSample.Indices(items, count == 0 ? items.Count : count, new SeededRandom(SeededRandom.DeriveSeed(taskSeed, stream)));

    private static IReadOnlyList<TaskExample> ReadRequired(string dataRoot, string split, string name)
    {
        string path = TaskFilePaths.Find(dataRoot, split, name)
            ?? throw new TaskDataException(Path.Combine(dataRoot, split, name + ".json"), null,
                $"the {split} split of task '{name}' is missing (expected {TaskFilePaths.Expected(dataRoot, split, name)}).");
        return TaskFileReader.Read(path);
    }
}

using RecurrentKif.Gpu.Data;
using Serilog;

namespace RecurrentKif.Gpu.Continual;

/// <summary>
/// What task k of a sequence trains on, derived from the tasks and the seed alone, so the plain loop, the pipeline's
/// data loader and a resumed run all get the same plan: the replay memory holds the class-balanced share of every
/// earlier task, drawn once per task from one seeded stream in sequence order (so a task's share never changes); the
/// validation set holds <c>ValidationPerTask</c> shuffled dev examples of every task so far; Replay mixes the memory
/// into the training data; the per-task seed fixes data order and memory sampling.
/// </summary>
public sealed class TaskPlanner(IReadOnlyList<ContinualTask> tasks, ContinualSettings settings)
{
    private readonly List<IReadOnlyList<TaskExample>> _memoryPerTask = [];
    private readonly SeededRandom _memoryRandom = new(SeededRandom.DeriveSeed(settings.FineTune.Seed, 7));

    public IReadOnlyList<ContinualTask> Tasks => tasks;

    public TaskPlan Plan(int k)
    {
        if (k < 0 || k >= tasks.Count) throw new ArgumentOutOfRangeException(nameof(k), $"task index {k} outside 0..{tasks.Count - 1}");
        long seed = settings.FineTune.Seed;
        var memory = MemoryBefore(k);
        var validation = tasks.Take(k + 1).SelectMany(t => ValidationSet.Take(t.Dev, settings.ValidationPerTask, (int)seed)).ToList();
        var train = settings.Method == ContinualMethod.Replay ? tasks[k].Train.Concat(memory).ToList() : tasks[k].Train;
        return new TaskPlan(tasks[k].Name, train, memory, validation,
            // The first task has nothing to replay by design; from the second on an empty memory is a problem worth a warning.
            Fuse: settings.Method == ContinualMethod.RecurrentKif && k > 0,
            TrackWholeTaskImportance: settings.Method == ContinualMethod.StaticImportance,
            SeededRandom.DeriveSeed(seed, 100 + k))
        {
            ReplayWithoutFusion = settings.Method == ContinualMethod.ComputeMatchedReplay,
        };
    }

    /// <summary>The multi-task upper bound: every task's data in one plan.</summary>
    public TaskPlan JointPlan() =>
        new("all tasks", tasks.SelectMany(t => t.Train).ToList(), [],
            tasks.SelectMany(t => ValidationSet.Take(t.Dev, settings.ValidationPerTask, (int)settings.FineTune.Seed)).ToList(),
            Fuse: false, TrackWholeTaskImportance: false, settings.FineTune.Seed);

    private List<TaskExample> MemoryBefore(int k)
    {
        // Draw in sequence order, whatever order plans are asked for (a resumed run may start at task 3).
        while (_memoryPerTask.Count < k)
        {
            var task = tasks[_memoryPerTask.Count];
            var draw = ReplayMemory.Draw(task.Train, settings.MemoryRatio, _memoryRandom);
            if (draw.FloorRaised)
                Log.Warning("Memory of task {Task}: ratio {Ratio} of {Train} training examples gives {ByRatio}; keeping {Kept} instead (one per label, {Labels} labels) so the outer learner has every class to replay",
                    task.Name, settings.MemoryRatio, task.Train.Count, draw.SizeByRatio, draw.Examples.Count, draw.Labels);
            _memoryPerTask.Add(draw.Examples);
        }
        return _memoryPerTask.Take(k).SelectMany(m => m).ToList();
    }
}

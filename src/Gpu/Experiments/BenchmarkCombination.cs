namespace RecurrentKif.Gpu.Experiments;

/// <summary>
/// One benchmark table from several benchmark runs of the same benchmark at the same scale, e.g. orders 2 and 3 run
/// as two processes on two cores, or the methods of one order split between them. Orders keep their first
/// appearance; within an order the runs are pooled. It refuses what would make the table wrong without saying so:
/// another benchmark, another scale (unless the caller states the combined scale), an order whose task sequence
/// or chance levels differ between files, and a (variant, seed) run of an order found twice.
/// </summary>
public static class BenchmarkCombination
{
    /// <param name="files">The runs to combine, in the order their orders and variants should appear.</param>
    /// <param name="scale">The combined run's scale line; null to require every file to have the same one.</param>
    public static (BenchmarkResult Result, string Scale) Combine(IReadOnlyList<BenchmarkFile> files, string? scale = null)
    {
        if (files.Count == 0) throw new ArgumentException("no benchmark files to combine");
        var first = files[0];
        foreach (var file in files.Skip(1))
        {
            if (file.Result.Benchmark != first.Result.Benchmark)
                throw new ArgumentException($"'{file.Path}' is benchmark '{file.Result.Benchmark}', '{first.Path}' is '{first.Result.Benchmark}': one table holds one benchmark");
            if (scale is null && file.Scale != first.Scale)
                throw new ArgumentException($"'{file.Path}' and '{first.Path}' ran at different scales; state the combined scale with --scale if they are comparable:\n  {first.Scale}\n  {file.Scale}");
        }

        var variants = files.SelectMany(f => f.Result.Variants).DistinctBy(v => v.Name).ToList();
        var orders = new List<BenchmarkOrder>();
        foreach (var (file, order) in files.SelectMany(f => f.Result.Orders.Select(o => (f, o))))
        {
            int index = orders.FindIndex(o => o.Name == order.Name);
            if (index < 0)
            {
                orders.Add(order);
                continue;
            }
            orders[index] = orders[index] with { Result = Pool(orders[index].Result, order.Result, order.Name, file.Path) };
        }
        return (new BenchmarkResult(first.Result.Benchmark, variants, orders), scale ?? first.Scale);
    }

    private static ExperimentResult Pool(ExperimentResult pooled, ExperimentResult more, string order, string path)
    {
        if (!pooled.TaskNames.SequenceEqual(more.TaskNames, StringComparer.Ordinal))
            throw new ArgumentException($"order {order} in '{path}' trains {string.Join(" → ", more.TaskNames)}, elsewhere {string.Join(" → ", pooled.TaskNames)}");
        if (!pooled.ChanceLevels.SequenceEqual(more.ChanceLevels))
            throw new ArgumentException($"order {order} in '{path}' has other chance levels (other evaluation labels) than elsewhere");
        foreach (var run in more.Runs)
            if (pooled.Runs.Any(r => r.Variant == run.Variant && r.Seed == run.Seed))
                throw new ArgumentException($"order {order}: {run.Variant} with seed {run.Seed} is in '{path}' and in an earlier file; one run may count once");
        return pooled with
        {
            Variants = [.. pooled.Variants.Concat(more.Variants).Distinct()],
            Seeds = [.. pooled.Seeds.Concat(more.Seeds).Distinct()],
            Runs = [.. pooled.Runs, .. more.Runs],
            EvaluatedOnDev = [.. pooled.TaskNames.Select((_, i) => pooled.IsEvaluatedOnDev(i) || more.IsEvaluatedOnDev(i))],
        };
    }
}

using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Experiments;
using RecurrentKif.Gpu.Reports;
using Serilog;

namespace RecurrentKif.Launcher.Commands;

/// <summary>
/// <c>rkif experiment --benchmark</c>: the experiment on each of a benchmark's orders in turn, each order's files in
/// <c>&lt;out&gt;/&lt;order&gt;/</c>, and benchmark.md, benchmark.json and benchmark.html in <c>&lt;out&gt;/</c>,
/// all refreshed after every run, so a run cut short still leaves the table so far.
/// </summary>
internal static class BenchmarkExperiment
{
    public static void Run(ExperimentSetup setup, BenchmarkSelection selection, IReadOnlyList<ExperimentVariant> variants, IReadOnlyList<long> seeds, string folder)
    {
        // Every order's data is loaded before any training, so a missing task file does not surface hours in. The
        // base seed draws it, and the loader's subsets depend only on (seed, task, split): a task gets the same data in
        // every order, and only its place in the sequence differs.
        var tasksByOrder = selection.Orders.ToDictionary(order => order,
            order => BenchmarkTaskLoader.Load(setup.Benchmark, TaskOrders.Get(order), setup.Sizes, setup.Settings.FineTune.Seed));
        var benchmark = new BenchmarkResult(selection.Benchmark, variants,
            [.. selection.Orders.Select(order => new BenchmarkOrder(order, ExperimentResult.Start(tasksByOrder[order], variants, seeds)))]);
        string scale = setup.Scale(seeds);
        Write(benchmark, scale, folder);
        Log.Information("Benchmark {Benchmark}: orders {Orders}, {Variants} variants × {Seeds} seeds each: {Names}", selection.Benchmark,
            string.Join(", ", selection.Orders), variants.Count, seeds.Count, string.Join(", ", variants.Select(v => v.Name)));

        for (int index = 0; index < selection.Orders.Count; index++)
        {
            string order = selection.Orders[index];
            var tasks = tasksByOrder[order];
            Log.Information("Order {Index}/{Count}: {Order} ({Tasks})", index + 1, selection.Orders.Count, order, string.Join(" → ", tasks.Select(t => t.Name)));
            ExperimentRunner.Run(setup, tasks, variants, seeds, result =>
            {
                benchmark = benchmark.With(order, result);
                ExperimentOutputs.Write(result, order, Path.Combine(folder, order));
                Write(benchmark, scale, folder);
            });
            Log.Information("Order {Order} done; its files are in {Folder}", order, Path.GetFullPath(Path.Combine(folder, order)));
        }
        Console.WriteLine();
        Console.WriteLine(BenchmarkTables.Averaged(BenchmarkSummary.Of(benchmark, scale)));
    }

    /// <summary>benchmark.md, benchmark.json and benchmark.html in <paramref name="folder"/> (each order's own files are written beside them by the caller).</summary>
    internal static void Write(BenchmarkResult benchmark, string scale, string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "benchmark.md"), BenchmarkTables.Markdown(benchmark, scale));
        BenchmarkJson.Write(benchmark, scale, Path.Combine(folder, "benchmark.json"));
        BenchmarkHtmlWriter.Write(benchmark, scale, Path.Combine(folder, "benchmark.html"));
    }
}

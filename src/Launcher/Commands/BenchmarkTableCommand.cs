using System.CommandLine;
using RecurrentKif.Gpu.Experiments;
using Serilog;

namespace RecurrentKif.Launcher.Commands;

/// <summary>
/// <c>rkif benchmark-table &lt;run&gt;... --out &lt;folder&gt;</c>: one benchmark table from several
/// <c>rkif experiment --benchmark</c> runs, e.g. orders or methods run as separate processes side by side
/// (docs/benchmark.md §2). It writes what a single run over all of them would have written: benchmark.md, .json and
/// .html, and each order's experiment files in &lt;out&gt;/&lt;order&gt;/.
/// </summary>
public static class BenchmarkTableCommand
{
    public static Command Create()
    {
        var runs = new Argument<string[]>("runs")
        {
            Description = "benchmark.json files, or the output folders of rkif experiment --benchmark that hold them",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<string>("--out") { Description = "folder for the combined table", Required = true };
        var scale = new Option<string?>("--scale")
        {
            Description = "the combined run's scale line, when the runs' own lines differ but are comparable (e.g. the same model read from two paths)",
        };
        var command = new Command("benchmark-table", "Combine benchmark runs made by separate processes (orders, methods or seeds) into one benchmark table")
        {
            runs, output, scale,
        };
        command.SetAction(parse =>
        {
            var files = parse.GetValue(runs)!.Select(path => BenchmarkFile.Read(Directory.Exists(path) ? Path.Combine(path, "benchmark.json") : path)).ToList();
            var (benchmark, combinedScale) = BenchmarkCombination.Combine(files, parse.GetValue(scale));
            string folder = parse.GetValue(output)!;
            foreach (var order in benchmark.Orders) ExperimentOutputs.Write(order.Result, order.Name, Path.Combine(folder, order.Name));
            BenchmarkExperiment.Write(benchmark, combinedScale, folder);
            Console.WriteLine(BenchmarkTables.Averaged(BenchmarkSummary.Of(benchmark, combinedScale)));
            Log.Information("Combined {Files} runs into {Orders} orders × {Variants} variants: {Folder}",
                files.Count, benchmark.Orders.Count, benchmark.Variants.Count, Path.GetFullPath(folder));
            return 0;
        });
        return command;
    }
}

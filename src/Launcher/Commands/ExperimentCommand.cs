using System.CommandLine;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Experiments;
using Serilog;

namespace RecurrentKif.Launcher.Commands;

/// <summary>
/// <c>rkif experiment</c>: one task order, several variants (methods, outer modes, Recurrent-KIF ablations) over
/// several seeds, same model folder, data, memory and evaluation. Prints each accuracy matrix and the variants side
/// by side (mean ± std over seeds of OP, BWT, FWT, accuracy right after learning, wall time), and writes
/// experiment.json, comparison.md, matrices.txt and experiment.html, refreshed after every run. With
/// <c>--benchmark</c> it does so for each of a benchmark's orders and adds the benchmark table (<see cref="BenchmarkExperiment"/>).
/// </summary>
public static class ExperimentCommand
{
    public static Command Create()
    {
        var options = new ExperimentOptions();
        var command = new Command("experiment", "Run a task order (or a benchmark's orders) with several methods, outer modes, ablations and seeds and compare them (mean ± std over seeds). "
                                                  + "Settings as `rkif run` reads them: hocon/reference.conf (every default), --config, --set, then the flags that name a key");
        options.AddTo(command);
        command.SetAction(parse =>
        {
            // Read first: a contradictory command line fails before any data or model is touched.
            var benchmark = ExperimentSetup.BenchmarkOf(parse, options);
            var setup = ExperimentSetup.From(parse, options);
            var variants = ExperimentSetup.Variants(parse, options, setup.Settings);
            var seeds = ExperimentSetup.Seeds(parse, options, setup.Settings);
            // Every combination is checked before any training, so a bad one does not surface hours in.
            foreach (var variant in variants) variant.Apply(setup.Settings, seeds[0]).Validate();

            string name = benchmark?.Benchmark ?? setup.Order.Replace(',', '+');
            string outputFolder = parse.GetValue(options.Output)
                ?? Path.Combine(setup.DataRoot, "experiments", $"{name}-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
            if (benchmark is not null)
            {
                BenchmarkExperiment.Run(setup, benchmark, variants, seeds, outputFolder);
                Log.Information("Wrote {Folder}", Path.GetFullPath(outputFolder));
                return 0;
            }

            // The task data is drawn once, with the base seed: seeds vary training, not what is learned or scored.
            var tasks = BenchmarkTaskLoader.Load(setup.Benchmark, TaskOrders.Resolve(setup.Order), setup.Sizes, setup.Settings.FineTune.Seed);
            Directory.CreateDirectory(outputFolder);
            Log.Information("Experiment: {Variants} variants × {Seeds} seeds on {Order}: {Names}",
                variants.Count, seeds.Count, setup.Order, string.Join(", ", variants.Select(v => v.Name)));
            var result = ExperimentRunner.Run(setup, tasks, variants, seeds, r => ExperimentOutputs.Write(r, setup.Order, outputFolder));
            Console.WriteLine();
            Console.WriteLine(ExperimentTables.Comparison(result));
            Log.Information("Wrote {Folder}", Path.GetFullPath(outputFolder));
            return 0;
        });
        return command;
    }
}

using System.CommandLine;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Experiments;
using RecurrentKif.Gpu.Reports;
using RecurrentKif.Launcher.Terminal;
using Serilog;

namespace RecurrentKif.Launcher.Commands;

/// <summary>
/// <c>rkif experiment</c>: one task order, several variants (methods, outer modes, Recurrent-KIF ablations) over
/// several seeds, same model folder, data, memory and evaluation. Prints each accuracy matrix and the variants side
/// by side (mean ± std over seeds of OP, BWT, FWT, accuracy right after learning, wall time), and writes
/// experiment.json, comparison.md, matrices.txt and experiment.html, refreshed after every run.
/// </summary>
public static class ExperimentCommand
{
    public static Command Create()
    {
        var options = new ExperimentOptions();
        var command = new Command("experiment", "Run a task order with several methods, outer modes, ablations and seeds and compare them (mean ± std over seeds)");
        options.AddTo(command);
        command.SetAction(parse =>
        {
            var setup = ExperimentSetup.From(parse, options);
            var variants = ExperimentSetup.Variants(parse, options, setup.Settings);
            var seeds = ExperimentSetup.Seeds(parse, options, setup.Settings);
            // Every combination is checked before any training, so a bad one does not surface hours in.
            foreach (var variant in variants) variant.Apply(setup.Settings, seeds[0]).Validate();

            // The task data is drawn once, with the base seed: seeds vary training, not what is learned or scored.
            var tasks = BenchmarkTaskLoader.Load(setup.Benchmark, TaskOrders.Resolve(setup.Order), setup.Sizes, setup.Settings.FineTune.Seed);
            string outputFolder = parse.GetValue(options.Output)
                ?? Path.Combine(setup.DataRoot, "experiments", $"{setup.Order.Replace(',', '+')}-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
            Directory.CreateDirectory(outputFolder);
            Log.Information("Experiment: {Variants} variants × {Seeds} seeds on {Order}: {Names}",
                variants.Count, seeds.Count, setup.Order, string.Join(", ", variants.Select(v => v.Name)));

            var result = ExperimentResult.Start(tasks, variants, seeds);
            var display = new ProgressDisplay();
            foreach (long seed in seeds)
            {
                foreach (var variant in variants)
                {
                    // A fresh model per run from the same folder: no state leaks from one variant into the next.
                    using var session = ModelSession.Open(setup.Model, setup.DataRoot, setup.Device, setup.Bf16, setup.Threads);
                    var run = new ContinualTrainer(session.Model, session.Tokenizer, variant.Apply(setup.Settings, seed)).Run(tasks, display.Report);
                    var report = ContinualReport.FromRun(run, tasks) with { Method = $"{variant.Name} (seed {seed})" };
                    result = result.With(new ExperimentRun(variant.Name, seed, report));
                    Console.WriteLine();
                    Console.WriteLine(ContinualReportWriter.FormatMatrix(report));
                    Write(result, setup, outputFolder);
                }
            }
            Console.WriteLine();
            Console.WriteLine(ExperimentTables.Comparison(result));
            Log.Information("Wrote {Folder}", Path.GetFullPath(outputFolder));
            return 0;
        });
        return command;
    }

    private static void Write(ExperimentResult result, ExperimentSetup setup, string folder)
    {
        ExperimentJson.Write(result, Path.Combine(folder, "experiment.json"));
        File.WriteAllText(Path.Combine(folder, "comparison.md"), ExperimentTables.Comparison(result));
        File.WriteAllText(Path.Combine(folder, "matrices.txt"),
            string.Join(Environment.NewLine + Environment.NewLine, result.Runs.Select(r => ContinualReportWriter.FormatMatrix(r.Report))));
        ExperimentHtmlWriter.Write(result, $"Experiment: {setup.Order}", Path.Combine(folder, "experiment.html"));
    }
}

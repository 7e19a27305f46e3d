using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Experiments;
using RecurrentKif.Gpu.Pretraining;
using RecurrentKif.Launcher.Terminal;

namespace RecurrentKif.Launcher.Commands;

/// <summary>
/// Runs every variant once per seed on one loaded task order, printing each run's accuracy matrix. After every run
/// the caller gets the result so far, so the files it writes are never more than one run behind.
/// </summary>
internal static class ExperimentRunner
{
    public static ExperimentResult Run(ExperimentSetup setup, IReadOnlyList<ContinualTask> tasks, IReadOnlyList<ExperimentVariant> variants,
        IReadOnlyList<long> seeds, Action<ExperimentResult> afterEachRun)
    {
        var result = ExperimentResult.Start(tasks, variants, seeds);
        var display = new ProgressDisplay();
        foreach (long seed in seeds)
        {
            foreach (var variant in variants)
            {
                // A fresh model per run from the same folder: no state leaks from one variant into the next.
                using var session = ResolvedModel.Open(setup.Model, setup.DataRoot, setup.Device, setup.Bf16, setup.Threads, new ProgressDisplay().Report);
                var run = new ContinualTrainer(session.Model, session.Tokenizer, variant.Apply(setup.Settings, seed)).Run(tasks, display.Report);
                var report = ContinualReport.FromRun(run, tasks) with { Method = $"{variant.Name} (seed {seed})" };
                result = result.With(new ExperimentRun(variant.Name, seed, report));
                Console.WriteLine();
                Console.WriteLine(ContinualReportWriter.FormatMatrix(report));
                afterEachRun(result);
            }
        }
        return result;
    }
}

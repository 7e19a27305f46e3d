using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Experiments;

namespace RecurrentKif.Gpu.Tests.Experiments;

/// <summary>
/// A small benchmark with hand-checkable numbers: two orders of two tasks (alpha, beta; then beta, alpha), SeqLora
/// with two seeds in both, and RecurrentKif[Frozen] with two seeds in order 1 but only seed 1 in order 2 (a run cut
/// short). beta has no test split (evaluated on dev, †); alpha has 2 labels, beta 4.
/// </summary>
internal static class BenchmarkSamples
{
    public static readonly ExperimentVariant SeqLora = new(ContinualMethod.SeqLora);
    public static readonly ExperimentVariant Kif = new(ContinualMethod.RecurrentKif, OuterUpdateMode.Frozen);

    private static TaskExample Example(string output) => new("id", "", "in", output);

    private static readonly ContinualTask Alpha = new("alpha", [], [], [Example("good"), Example("bad")], EvaluatedOnDev: false);
    private static readonly ContinualTask Beta = new("beta", [], [], [Example("a"), Example("b"), Example("c"), Example("d")], EvaluatedOnDev: true);

    public static ContinualReport Report(ContinualTask[] tasks, double[][] rows, double seconds)
    {
        var matrix = new AccuracyMatrix([.. tasks.Select(t => t.Name)]);
        for (int j = 0; j < tasks.Length; j++)
            for (int i = 0; i < tasks.Length; i++) matrix[j, i] = rows[j][i];
        return ContinualReport.Create("x", tasks, matrix, seconds);
    }

    public static BenchmarkResult Result(string benchmark = "standard")
    {
        ContinualTask[] first = [Alpha, Beta], second = [Beta, Alpha];
        ExperimentVariant[] variants = [SeqLora, Kif];
        var one = ExperimentResult.Start(first, variants, [1, 2])
            // OP 0.55, BWT −0.6, just learned 0.85 | OP 0.55, BWT −0.2, just learned 0.65
            .With(new ExperimentRun(SeqLora.Name, 1, Report(first, [[0.9, 0.1], [0.3, 0.8]], 10)))
            .With(new ExperimentRun(SeqLora.Name, 2, Report(first, [[0.7, 0.1], [0.5, 0.6]], 20)))
            // OP 0.85, BWT −0.1 | OP 0.75, BWT 0.0
            .With(new ExperimentRun(Kif.Name, 1, Report(first, [[0.9, 0.2], [0.8, 0.9]], 30)))
            .With(new ExperimentRun(Kif.Name, 2, Report(first, [[0.8, 0.2], [0.8, 0.7]], 40)));
        var two = ExperimentResult.Start(second, variants, [1, 2])
            // rows and columns: beta, alpha. OP 0.6, BWT −0.4 | OP 0.5, BWT −0.6
            .With(new ExperimentRun(SeqLora.Name, 1, Report(second, [[0.6, 0.0], [0.2, 1.0]], 50)))
            .With(new ExperimentRun(SeqLora.Name, 2, Report(second, [[0.8, 0.0], [0.2, 0.8]], 60)))
            // OP 0.9, BWT 0.0
            .With(new ExperimentRun(Kif.Name, 1, Report(second, [[0.9, 0.1], [0.9, 0.9]], 70)));
        return new BenchmarkResult(benchmark, variants, [new BenchmarkOrder($"{benchmark}-1", one), new BenchmarkOrder($"{benchmark}-2", two)]);
    }

    public const string Scale = "Scale: test model, 2 tasks.";
}

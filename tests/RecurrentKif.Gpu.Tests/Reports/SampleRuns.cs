using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Reports;

namespace RecurrentKif.Gpu.Tests.Reports;

/// <summary>Hand-made runs whose every number is known, so the tests can say exactly what the page must show.</summary>
internal static class SampleRuns
{
    /// <summary>A task name that would run script if it reached the page unescaped.</summary>
    public const string HostileName = "<script>x</script>";

    public static readonly string[] Names = ["mnli", "dbpedia", HostileName];

    /// <summary>
    /// a[j, i]. a[0, 2] is unmeasured; no metric needs it, so OP = 80.0, BWT = −13.1 and FWT (zero-shot) = 20.0 are
    /// all defined.
    /// </summary>
    public static readonly double[][] Rows = [[0.812, 0.100, double.NaN], [0.700, 0.900, 0.300], [0.600, 0.850, 0.950]];

    /// <summary>Task 2's fusions: cycle 1 splits 10/20/30/40 % as in-only/out-only/both/neither, cycle 2 20/20/20/40 %.</summary>
    public static readonly MaskShares[] SecondTaskShares = [new(10, 20, 30, 40), new(20, 20, 20, 40)];

    public static RunReportData Complete(bool withDevTask = true, int trainedTasks = 3, bool lastRowMeasured = true) =>
        new(Report(withDevTask, lastRowMeasured), Stats().Take(trainedTasks).ToArray(), "Sample & <run>",
            new Dictionary<string, string> { ["rank"] = "8", ["note<b>"] = "a \"quoted\" <script>alert(1)</script>" },
            new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc));

    public static ContinualReport Report(bool withDevTask = true, bool lastRowMeasured = true)
    {
        var matrix = new AccuracyMatrix(Names);
        for (int j = 0; j < 3; j++)
            for (int i = 0; i < 3; i++) matrix[j, i] = j == 2 && !lastRowMeasured ? double.NaN : Rows[j][i];
        var tasks = Names.Select(n => new ContinualTask(n, [], [], [], EvaluatedOnDev: withDevTask && n == "dbpedia")).ToArray();
        return ContinualReport.Create("recurrent-kif", tasks, matrix, wallClockSeconds: 3725.5,
            new Dictionary<string, double> { ["fusions"] = 5, ["unmeasured"] = double.NaN });
    }

    public static TaskTrainingStats[] Stats() =>
    [
        new("mnli", 6, 0, [], 0.52, 0.55, 4, 12_000, 10, [2.0, 1.6, 1.3, 1.1, 1.0, 0.9])
        {
            FirstTokenLosses = [2.4, 2.1, 1.5, 1.2, 1.1, 1.0],
            Validations = [new ValidationPoint(4, 0.52, 0.5), new ValidationPoint(6, 0.55, 0.625)],
        },
        new("dbpedia", 4, 2, SecondTaskShares, null, double.NaN, 4, 8_000, 0, [1.5, double.NaN, 1.2, 1.0]),
        new(HostileName, 5, 3, [new(1, 1, 1, 1), new(0, 0, 0, 0), new(4, 3, 2, 1)], 0.4, 0.41, 5, 10_000, 20, [1.4, 1.2, 1.1, 1.0, 0.95]),
    ];
}

using RecurrentKif.Gpu.Continual;

namespace RecurrentKif.Gpu.Tests.Continual;

public class ContinualMetricsTests
{
    private const int Digits = 12;

    private static AccuracyMatrix Matrix(double[][] rows)
    {
        var matrix = new AccuracyMatrix(Enumerable.Range(0, rows.Length).Select(i => $"t{i}").ToArray());
        for (int j = 0; j < rows.Length; j++)
            for (int i = 0; i < rows.Length; i++) matrix[j, i] = rows[j][i];
        return matrix;
    }

    // a[0,1] = 0.95 is a high zero-shot cell: it must count for FWT but not for forgetting.
    // a[0,0] = 0.9 > a[1,0] = 0.7: forgetting takes the peak, not the row before the last.
    private static AccuracyMatrix ThreeTasks() => Matrix([
        [0.90, 0.95, 0.30],
        [0.70, 0.80, 0.40],
        [0.60, 0.50, 1.00],
    ]);

    [Fact]
    public void OverallPerformanceIsTheMeanOfTheLastRow()
    {
        Assert.Equal(0.7, ContinualMetrics.From(ThreeTasks()).OverallPerformance!.Value, Digits);
    }

    [Fact]
    public void BackwardTransferComparesTheLastRowWithTheDiagonalExcludingTheLastTask()
    {
        // ((0.6 − 0.9) + (0.5 − 0.8)) / 2
        Assert.Equal(-0.3, ContinualMetrics.From(ThreeTasks()).BackwardTransfer!.Value, Digits);
    }

    [Fact]
    public void ZeroShotForwardTransferAveragesTheCellsJustAboveTheDiagonal()
    {
        // (a[0,1] + a[1,2]) / 2 = (0.95 + 0.40) / 2
        Assert.Equal(0.675, ContinualMetrics.From(ThreeTasks()).FwtZeroShot!.Value, Digits);
    }

    [Fact]
    public void ForwardTransferVersusSingleTaskComparesTheDiagonalWithSingleTaskAccuracies()
    {
        var metrics = ContinualMetrics.From(ThreeTasks(), [0.8, 0.9, 0.7]);

        // ((0.9 − 0.8) + (0.8 − 0.9) + (1.0 − 0.7)) / 3
        Assert.Equal(0.1, metrics.FwtVersusSingleTask!.Value, Digits);
        Assert.Null(ContinualMetrics.From(ThreeTasks()).FwtVersusSingleTask);
    }

    [Fact]
    public void SingleTaskAccuraciesMustCoverEveryTask()
    {
        Assert.Throws<ArgumentException>(() => ContinualMetrics.From(ThreeTasks(), [0.8, 0.9]));
    }

    [Fact]
    public void PerTaskFinalAccuracyAndForgettingUseOnlyRowsAfterTheTaskWasLearned()
    {
        var metrics = ContinualMetrics.From(ThreeTasks());

        Assert.Equal([0.6, 0.5, 1.0], metrics.FinalAccuracies.Select(a => a!.Value));
        Assert.Equal(0.3, metrics.Forgetting[0]!.Value, Digits); // max(0.9, 0.7) − 0.6
        Assert.Equal(0.3, metrics.Forgetting[1]!.Value, Digits); // 0.8 − 0.5; the zero-shot 0.95 is ignored
        Assert.Null(metrics.Forgetting[2]);
        Assert.Equal(3, metrics.TaskCount);
    }

    [Fact]
    public void OneTaskHasOverallPerformanceButNoTransferOrForgetting()
    {
        var metrics = ContinualMetrics.From(Matrix([[0.42]]), [0.5]);

        Assert.Equal(0.42, metrics.OverallPerformance!.Value, Digits);
        Assert.Null(metrics.BackwardTransfer);
        Assert.Null(metrics.FwtZeroShot);
        Assert.Equal(-0.08, metrics.FwtVersusSingleTask!.Value, Digits);
        Assert.Equal(new double?[] { null }, metrics.Forgetting);
    }

    [Fact]
    public void AnUnmeasuredCellMakesOnlyTheMetricsThatNeedItNull()
    {
        var matrix = ThreeTasks();
        matrix[1, 1] = double.NaN;

        var metrics = ContinualMetrics.From(matrix, [0.8, 0.9, 0.7]);

        Assert.Null(metrics.BackwardTransfer);
        Assert.Null(metrics.FwtVersusSingleTask);
        Assert.Null(metrics.Forgetting[1]);
        Assert.Equal(0.7, metrics.OverallPerformance!.Value, Digits);
        Assert.Equal(0.675, metrics.FwtZeroShot!.Value, Digits);
        Assert.Equal(0.3, metrics.Forgetting[0]!.Value, Digits);
    }

    [Fact]
    public void AnUnmeasuredFinalCellMakesOverallPerformanceAndThatTasksFinalAccuracyNull()
    {
        var matrix = ThreeTasks();
        matrix[2, 0] = double.NaN;

        var metrics = ContinualMetrics.From(matrix);

        Assert.Null(metrics.OverallPerformance);
        Assert.Null(metrics.BackwardTransfer);
        Assert.Null(metrics.FinalAccuracies[0]);
        Assert.Equal(0.5, metrics.FinalAccuracies[1]!.Value, Digits);
    }

    [Fact]
    public void ThePapersProtocolCellsAloneGiveOverallPerformanceAndBackwardTransferButNoZeroShotTransfer()
    {
        // docs/algorithm.md §5.3 measures only the diagonal and the last row.
        var matrix = Matrix([
            [0.90, double.NaN, double.NaN],
            [double.NaN, 0.80, double.NaN],
            [0.60, 0.50, 1.00],
        ]);

        var metrics = ContinualMetrics.From(matrix);

        Assert.Equal(0.7, metrics.OverallPerformance!.Value, Digits);
        Assert.Equal(-0.3, metrics.BackwardTransfer!.Value, Digits);
        Assert.Null(metrics.FwtZeroShot);
    }
}

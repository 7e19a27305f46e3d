using RecurrentKif.Gpu.Continual;

namespace RecurrentKif.Gpu.Tests.Continual;

/// <summary>The one reader of an accuracy matrix stored as rows (report.json and benchmark.json both use it).</summary>
public class AccuracyMatrixRowsTests
{
    private static readonly string[] Tasks = ["a", "b"];

    [Fact]
    public void NullableRowsRoundTripWithUnmeasuredCellsAsNull()
    {
        var matrix = AccuracyMatrix.FromRows(Tasks, [[0.5, null], [0.25, 1.0]], "test");
        Assert.True(double.IsNaN(matrix[0, 1]));
        Assert.Equal(0.25, matrix[1, 0]);
        var rows = matrix.ToNullableRows();
        Assert.Null(rows[0][1]);
        Assert.Equal([0.5, null], rows[0]);
        Assert.Equal([0.25, 1.0], rows[1]);
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    public void RefusesAMatrixThatIsNotKByK(int rows, int columns)
    {
        var cells = Enumerable.Range(0, rows).Select(_ => Enumerable.Repeat<double?>(0.5, columns).ToArray()).ToArray();
        var e = Assert.Throws<InvalidDataException>(() => AccuracyMatrix.FromRows(Tasks, cells, "file x, run 3"));
        Assert.Equal("file x, run 3: the accuracy matrix is not 2 × 2", e.Message);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    public void RefusesACellOutsideTheUnitInterval(double value)
    {
        var e = Assert.Throws<InvalidDataException>(() => AccuracyMatrix.FromRows(Tasks, [[0.5, 0.5], [0.5, value]], "here"));
        Assert.Contains("accuracy [1][1]", e.Message);
    }

    [Fact]
    public void RefusesAMissingRow()
    {
        Assert.Throws<InvalidDataException>(() => AccuracyMatrix.FromRows(Tasks, [[0.5, 0.5], null], "here"));
    }
}

namespace RecurrentKif.Gpu.Continual;

/// <summary>
/// a[j, i]: accuracy on task i (its evaluation split) after training through task j, both 0-based in sequence order.
/// Every cell is filled in a full run (every task after every task), so forward transfer can be read off too.
/// Unmeasured cells are NaN.
/// </summary>
public sealed class AccuracyMatrix
{
    private readonly double[,] _values;

    public IReadOnlyList<string> TaskNames { get; }
    public int Count => TaskNames.Count;

    public AccuracyMatrix(IReadOnlyList<string> taskNames)
    {
        TaskNames = taskNames;
        _values = new double[taskNames.Count, taskNames.Count];
        for (int j = 0; j < Count; j++)
            for (int i = 0; i < Count; i++) _values[j, i] = double.NaN;
    }

    public double this[int afterTask, int onTask]
    {
        get => _values[afterTask, onTask];
        set => _values[afterTask, onTask] = value;
    }

    public bool IsComplete()
    {
        for (int j = 0; j < Count; j++)
            for (int i = 0; i < Count; i++)
                if (double.IsNaN(_values[j, i])) return false;
        return true;
    }

    /// <summary>
    /// The matrix a report or benchmark file holds as rows with null for an unmeasured cell; refuses a matrix that is
    /// not k × k or a cell outside [0, 1], naming <paramref name="where"/>.
    /// </summary>
    public static AccuracyMatrix FromRows(IReadOnlyList<string> taskNames, double?[]?[] rows, string where)
    {
        int k = taskNames.Count;
        if (rows.Length != k || rows.Any(row => row is null || row.Length != k))
            throw new InvalidDataException($"{where}: the accuracy matrix is not {k} × {k}");
        var matrix = new AccuracyMatrix(taskNames);
        for (int j = 0; j < k; j++)
            for (int i = 0; i < k; i++)
            {
                double value = rows[j]![i] ?? double.NaN;
                if (value is < 0 or > 1) throw new InvalidDataException($"{where}: accuracy [{j}][{i}] = {value} is not a fraction in [0, 1]");
                matrix[j, i] = value;
            }
        return matrix;
    }

    /// <summary>The rows as a file holds them: null for an unmeasured (NaN) cell.</summary>
    public double?[][] ToNullableRows() => ToRows().Select(row => row.Select(v => double.IsNaN(v) ? (double?)null : v).ToArray()).ToArray();

    public double[][] ToRows() => Enumerable.Range(0, Count).Select(j => Enumerable.Range(0, Count).Select(i => _values[j, i]).ToArray()).ToArray();
}

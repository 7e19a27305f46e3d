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

    public double[][] ToRows() => Enumerable.Range(0, Count).Select(j => Enumerable.Range(0, Count).Select(i => _values[j, i]).ToArray()).ToArray();
}

namespace RecurrentKif.Bench;

/// <summary>Small statistics for repeated timings: the median resists the odd run another engineer's build slowed down.</summary>
public static class Stats
{
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0) throw new ArgumentException("the median of no values");
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>Runs <paramref name="action"/> once to warm up, then <paramref name="repeats"/> times; the median seconds.</summary>
    public static double MedianSeconds(int repeats, Action action, Action? sync = null)
    {
        action();
        sync?.Invoke();
        var times = new List<double>(repeats);
        for (int i = 0; i < repeats; i++)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            action();
            sync?.Invoke();
            times.Add(clock.Elapsed.TotalSeconds);
        }
        return Median(times);
    }
}

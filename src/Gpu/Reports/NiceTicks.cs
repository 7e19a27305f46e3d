namespace RecurrentKif.Gpu.Reports;

/// <summary>
/// Axis ticks at round numbers (1, 2 or 5 times a power of ten), so readers can read values off a chart without
/// decoding labels like 0.3718.
/// </summary>
internal static class NiceTicks
{
    /// <summary>About <paramref name="wanted"/> round ticks covering [min, max]; the first and last enclose the range.</summary>
    public static double[] For(double min, double max, int wanted = 5)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max)) return [0, 1];
        if (max < min) (min, max) = (max, min);
        if (max - min < 1e-12)
        {
            // A flat series still needs an axis with some height around it.
            double pad = Math.Abs(min) > 1e-12 ? Math.Abs(min) * 0.1 : 1;
            min -= pad;
            max += pad;
        }
        double step = Step((max - min) / Math.Max(1, wanted));
        double first = Math.Floor(min / step) * step;
        double last = Math.Ceiling(max / step) * step;
        int count = (int)Math.Round((last - first) / step) + 1;
        // Rounding each tick keeps labels like 0.30000000000000004 out of the chart.
        return Enumerable.Range(0, count).Select(k => Math.Round(first + k * step, 10)).ToArray();
    }

    /// <summary>
    /// Integer ticks (steps, cycles) for [from, max]: <paramref name="from"/> itself, then round multiples of a step
    /// chosen so there are about <paramref name="wanted"/>. A multiple at most half a step above
    /// <paramref name="from"/> is skipped so the two labels do not crowd each other (1, 4, 6, 8 rather than 1, 2, 4, 6, 8).
    /// </summary>
    public static int[] Integers(int from, int max, int wanted = 6)
    {
        if (max <= from) return [from];
        int step = Math.Max(1, (int)Step((max - from) / (double)Math.Max(1, wanted)));
        var ticks = new List<int> { from };
        for (int t = (from / step + 1) * step; t <= max; t += step)
            if (t - from > step / 2.0) ticks.Add(t);
        return [.. ticks];
    }

    /// <summary>The number of decimals that tells ticks of this spacing apart.</summary>
    public static int Decimals(double[] ticks)
    {
        if (ticks.Length < 2) return 2;
        double step = Math.Abs(ticks[1] - ticks[0]);
        return step >= 1 ? 0 : Math.Min(6, (int)Math.Ceiling(-Math.Log10(step) - 1e-9));
    }

    private static double Step(double rough)
    {
        double power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        double fraction = rough / power;
        double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        return nice * power;
    }
}

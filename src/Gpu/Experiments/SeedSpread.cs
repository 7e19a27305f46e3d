using System.Globalization;

namespace RecurrentKif.Gpu.Experiments;

/// <summary>
/// One number over an experiment's seeds: the mean and the sample standard deviation (n − 1 in the denominator, the
/// spread one would expect of another seed). Seeds where the number is undefined (null or NaN) are left out and
/// counted out of <see cref="Count"/>; the deviation needs two values.
/// </summary>
public sealed record SeedSpread(double? Mean, double? Std, int Count)
{
    public static SeedSpread Of(IEnumerable<double?> values)
    {
        var measured = values.Where(v => v is double d && double.IsFinite(d)).Select(v => v!.Value).ToList();
        if (measured.Count == 0) return new SeedSpread(null, null, 0);
        double mean = measured.Average();
        double? std = measured.Count < 2 ? null : Math.Sqrt(measured.Sum(v => (v - mean) * (v - mean)) / (measured.Count - 1));
        return new SeedSpread(mean, std, measured.Count);
    }

    public static SeedSpread Of(IEnumerable<double> values) => Of(values.Select(v => (double?)v));

    /// <summary>"77.9 ± 1.2" with the values times <paramref name="scale"/> (100 for percentages); "-" when unmeasured.</summary>
    public string Format(double scale = 100, string format = "F1")
    {
        if (Mean is not double mean) return "-";
        string text = (scale * mean).ToString(format, CultureInfo.InvariantCulture);
        return Std is double std ? text + " ± " + (scale * std).ToString(format, CultureInfo.InvariantCulture) : text;
    }
}

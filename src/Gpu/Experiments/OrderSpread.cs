namespace RecurrentKif.Gpu.Experiments;

/// <summary>
/// One number over a benchmark's orders, as papers report it: the mean over orders of each order's mean over seeds.
/// The spread is the sample std over all order × seed runs, so it holds both the seed noise and the differences
/// between orders. Orders (or runs) where the number is undefined are left out; <see cref="SeedSpread.Count"/> is
/// the number of runs that counted.
/// </summary>
public static class OrderSpread
{
    public static SeedSpread Of(IEnumerable<IEnumerable<double?>> valuesPerOrder)
    {
        var perOrder = valuesPerOrder.Select(values => values.ToList()).ToList();
        var orderMeans = perOrder.Select(values => SeedSpread.Of(values).Mean).OfType<double>().ToList();
        var overRuns = SeedSpread.Of(perOrder.SelectMany(values => values));
        return new SeedSpread(orderMeans.Count == 0 ? null : orderMeans.Average(), overRuns.Std, overRuns.Count);
    }

    public static SeedSpread Of(IEnumerable<IEnumerable<double>> valuesPerOrder) => Of(valuesPerOrder.Select(values => values.Select(v => (double?)v)));
}

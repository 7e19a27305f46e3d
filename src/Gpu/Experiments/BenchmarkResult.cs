namespace RecurrentKif.Gpu.Experiments;

/// <summary>One order of a benchmark and what its experiment measured so far.</summary>
public sealed record BenchmarkOrder(string Name, ExperimentResult Result);

/// <summary>
/// A benchmark run over several task orders: every order runs the same variants and seeds. The variants are kept as
/// <see cref="ExperimentVariant"/>s, not only names, because the paper's rows are matched by method and ablation.
/// Immutable; a finished run gives a new result with that order's experiment replaced.
/// </summary>
public sealed record BenchmarkResult(string Benchmark, IReadOnlyList<ExperimentVariant> Variants, IReadOnlyList<BenchmarkOrder> Orders)
{
    /// <summary>The result with <paramref name="order"/>'s experiment replaced by <paramref name="result"/>.</summary>
    public BenchmarkResult With(string order, ExperimentResult result)
    {
        if (Orders.All(o => o.Name != order)) throw new ArgumentException($"order '{order}' is not part of the {Benchmark} benchmark run", nameof(order));
        return this with { Orders = [.. Orders.Select(o => o.Name == order ? o with { Result = result } : o)] };
    }
}

using System.Globalization;
using RecurrentKif.Gpu.Continual;

namespace RecurrentKif.Gpu.Experiments;

/// <summary>
/// Which orders of a benchmark an experiment runs: <c>--benchmark standard --orders 1,2,3</c> is standard-1,
/// standard-2 and standard-3 of <see cref="TaskOrders"/> (docs/algorithm.md §5.1). Papers report the mean over a
/// benchmark's three orders, so that is the default.
/// </summary>
public sealed record BenchmarkSelection(string Benchmark, IReadOnlyList<string> Orders)
{
    /// <summary>The benchmarks with numbered orders in <see cref="TaskOrders"/>.</summary>
    public static IReadOnlyList<string> Benchmarks { get; } = ["standard", "long"];

    /// <summary>
    /// Reads <c>--benchmark</c> and <c>--orders</c>; null when neither is given (one order, as without them).
    /// <paramref name="orderGiven"/> says whether <c>--order</c> was written on the command line: with a benchmark it
    /// would be ignored silently, so it is refused instead. A configuration file's order is simply replaced.
    /// </summary>
    public static BenchmarkSelection? Parse(string? benchmark, string? orders, bool orderGiven)
    {
        if (benchmark is null)
        {
            return orders is null
                ? null
                : throw new ArgumentException("--orders numbers the orders of a benchmark: give --benchmark standard or --benchmark long with it");
        }
        if (orderGiven)
            throw new ArgumentException("--benchmark runs a benchmark's named orders (choose them with --orders 1,2,3) and cannot be combined with --order; "
                                        + "drop --order, or drop --benchmark to run one order");
        string name = Benchmarks.FirstOrDefault(b => string.Equals(b, benchmark.Trim(), StringComparison.OrdinalIgnoreCase))
                      ?? throw new ArgumentException($"unknown benchmark '{benchmark}' (known: {string.Join(", ", Benchmarks)})");
        var known = TaskOrders.Names.Where(n => n.StartsWith(name + "-", StringComparison.Ordinal)).ToList();
        var picked = (orders ?? "1,2,3").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(number => int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out _) && known.Contains($"{name}-{number}")
                ? $"{name}-{number}"
                : throw new ArgumentException($"--orders: '{number}' is not an order of the {name} benchmark (known: {string.Join(", ", known.Select(k => k[(name.Length + 1)..]))})"))
            .ToList();
        if (picked.Count == 0) throw new ArgumentException("--orders lists no order");
        if (picked.Distinct().Count() != picked.Count) throw new ArgumentException($"--orders repeats an order ({orders}): a repeat would count its runs twice");
        return new BenchmarkSelection(name, picked);
    }
}

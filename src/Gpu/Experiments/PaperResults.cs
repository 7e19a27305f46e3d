using System.Globalization;

namespace RecurrentKif.Gpu.Experiments;

/// <summary>
/// One method's published numbers on one benchmark, in percent as the paper prints them (our own numbers are
/// fractions, hence the names); BWT null where none is given.
/// </summary>
public sealed record PaperRow(string Method, double OverallPerformancePercent, double? BackwardTransferPercent)
{
    /// <summary>"O-LoRA 75.8 / -3.8"; "–" for a BWT the paper does not give.</summary>
    public string Format() => $"{Method} {Number(OverallPerformancePercent)} / {Number(BackwardTransferPercent)}";

    /// <summary>A percentage as printed in the tables: one decimal; "–" where there is none (the paper's MTL BWT).</summary>
    public static string Number(double? percent) =>
        percent is double v && double.IsFinite(v) ? v.ToString("F1", CultureInfo.InvariantCulture) : "–";
}

/// <summary>
/// The Recurrent-KIF paper's (Feng et al., ACL 2025) main-table numbers: T5-large, each the average over the
/// benchmark's three task orders, OP / BWT in %. The only place these numbers live in code. They are the table of
/// docs/algorithm.md §8 ("The paper's reported numbers"; the baselines themselves are §6), which says how sure they
/// are; VR-MCL and MIGU are not in that table and were supplied with the benchmark-table task, equally unverified
/// against the PDF.
/// </summary>
public static class PaperResults
{
    public const string SeqLora = "SeqLoRA", TaSL = "TaSL", RecurrentKif = "Recurrent-KIF", Mtl = "MTL";

    private static readonly (PaperRow Standard, PaperRow Long)[] Rows =
    [
        (new(SeqLora, 43.7, -50.4), new(SeqLora, 11.6, -73.4)),
        (new("O-LoRA", 75.8, -3.8), new("O-LoRA", 69.6, -4.1)),
        (new("VR-MCL", 76.0, -3.7), new("VR-MCL", 74.8, -4.9)),
        (new(TaSL, 76.3, -4.0), new(TaSL, 74.4, -5.3)),
        (new("MIGU", 76.6, null), new("MIGU", 76.5, null)),
        (new(RecurrentKif, 78.4, -2.8), new(RecurrentKif, 77.8, -3.6)),
        (new(Mtl, 80.3, null), new(Mtl, 81.8, null)),
    ];

    /// <summary>The methods this code implements a counterpart of; the others are listed below the table as paper-only.</summary>
    private static readonly string[] Implemented = [SeqLora, TaSL, RecurrentKif, Mtl];

    /// <summary>Every row of a benchmark ("standard" or "long"), in the paper's order.</summary>
    public static IReadOnlyList<PaperRow> Of(string benchmark) => benchmark switch
    {
        "standard" => [.. Rows.Select(r => r.Standard)],
        "long" => [.. Rows.Select(r => r.Long)],
        _ => throw new ArgumentException($"the paper reports no '{benchmark}' benchmark (known: standard, long)", nameof(benchmark)),
    };

    /// <summary>The row of <paramref name="method"/> (one of the constants above) on a benchmark.</summary>
    public static PaperRow Get(string benchmark, string method) => Of(benchmark).Single(r => r.Method == method);

    /// <summary>The paper's rows for methods this code does not implement (O-LoRA, VR-MCL, MIGU).</summary>
    public static IReadOnlyList<PaperRow> PaperOnly(string benchmark) => [.. Of(benchmark).Where(r => !Implemented.Contains(r.Method))];
}

namespace RecurrentKif.Gpu.Continual;

/// <summary>Saves, loads and prints <see cref="ContinualReport"/>s.</summary>
public static class ContinualReportWriter
{
    /// <summary>Writes the reports as indented JSON (NaN as null), creating the folder if needed.</summary>
    public static void WriteJson(IEnumerable<ContinualReport> reports, string path)
    {
        ArgumentNullException.ThrowIfNull(reports);
        ArgumentNullException.ThrowIfNull(path);
        ContinualReportJson.Write(reports, path);
    }

    /// <summary>Reads what <see cref="WriteJson"/> wrote; null cells come back as NaN.</summary>
    public static IReadOnlyList<ContinualReport> ReadJson(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return ContinualReportJson.Read(path);
    }

    /// <summary>
    /// A fixed-width table of a[j, i] in percent (rows "after &lt;task&gt;", columns the tasks), the metrics below it,
    /// a "chance" row (1 / distinct labels of each task's evaluation split) when the report knows it,
    /// and a '†' footnote on tasks evaluated on their dev split.
    /// </summary>
    public static string FormatMatrix(ContinualReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return ContinualReportTables.Matrix(report);
    }

    /// <summary>A markdown table of methods side by side: OP, BWT, FWT (zero-shot), wall time.</summary>
    public static string FormatComparison(IReadOnlyList<ContinualReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        return ContinualReportTables.Comparison(reports);
    }
}

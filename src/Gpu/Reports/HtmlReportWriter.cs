namespace RecurrentKif.Gpu.Reports;

/// <summary>
/// Renders a run as one self-contained HTML page: inline CSS and SVG, no scripts and nothing fetched from the
/// network, so it opens offline and can be mailed or archived as a single file. The markup is also well-formed
/// XML (every element closed, numeric character references only), which keeps it checkable by a parser.
/// </summary>
public static class HtmlReportWriter
{
    /// <summary>Renders the report and writes it as UTF-8, creating the folder if needed.</summary>
    public static void Write(RunReportData data, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        HtmlPage.Write(Render(data), path);
    }

    /// <summary>The whole page as a string.</summary>
    public static string Render(RunReportData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(data.Report);
        ArgumentNullException.ThrowIfNull(data.Tasks);
        ArgumentNullException.ThrowIfNull(data.Settings);

        var html = HtmlPage.Open(data.Title, 64 * 1024);
        HeaderSection.Append(html, data);
        AccuracyHeatMap.Append(html, data);
        AccuracyBarChart.Append(html, data);
        LossCurveChart.Append(html, data);
        MaskShareCharts.Append(html, data);
        TaskStatsTable.Append(html, data);
        SettingsTable.Append(html, data);
        return HtmlPage.Close(html, "run report", data.GeneratedUtc);
    }
}

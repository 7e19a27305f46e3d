using System.Globalization;
using System.Text;
using static RecurrentKif.Gpu.Reports.HtmlText;

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
        string html = Render(data);
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        File.WriteAllText(path, html, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    /// <summary>The whole page as a string.</summary>
    public static string Render(RunReportData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(data.Report);
        ArgumentNullException.ThrowIfNull(data.Tasks);
        ArgumentNullException.ThrowIfNull(data.Settings);

        var html = new StringBuilder(64 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\" />")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />")
            .Append($"<title>{Escape(data.Title)}</title><style>{ReportStyles.Css}</style></head><body><main>");
        HeaderSection.Append(html, data);
        AccuracyHeatMap.Append(html, data);
        AccuracyBarChart.Append(html, data);
        LossCurveChart.Append(html, data);
        MaskShareCharts.Append(html, data);
        TaskStatsTable.Append(html, data);
        SettingsTable.Append(html, data);
        html.Append($"<footer>RecurrentKif run report · generated {data.GeneratedUtc.ToString("u", CultureInfo.InvariantCulture)}</footer>")
            .Append("</main></body></html>\n");
        return html.ToString();
    }
}

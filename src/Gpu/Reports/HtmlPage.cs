using System.Globalization;
using System.Text;
using static RecurrentKif.Gpu.Reports.HtmlText;

namespace RecurrentKif.Gpu.Reports;

/// <summary>
/// The frame every report page shares: the head with the inline stylesheet, the footer that says when it was made,
/// and writing it as UTF-8 without a byte-order mark, creating the folder first.
/// </summary>
internal static class HtmlPage
{
    /// <summary>A builder holding everything up to the opened &lt;main&gt;.</summary>
    public static StringBuilder Open(string title, int capacity) =>
        new StringBuilder(capacity)
            .Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\" />")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />")
            .Append($"<title>{Escape(title)}</title><style>{ReportStyles.Css}</style></head><body><main>");

    /// <summary>Appends the footer ("RecurrentKif {what} · generated …") and closes the page.</summary>
    public static string Close(StringBuilder html, string what, DateTime generatedUtc) =>
        html.Append($"<footer>RecurrentKif {what} · generated {generatedUtc.ToString("u", CultureInfo.InvariantCulture)}</footer>")
            .Append("</main></body></html>\n")
            .ToString();

    public static void Write(string html, string path)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        File.WriteAllText(path, html, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }
}

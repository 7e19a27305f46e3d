using System.Text;
using static RecurrentKif.Gpu.Reports.HtmlText;

namespace RecurrentKif.Gpu.Reports;

/// <summary>
/// A chart legend written as HTML beside the drawing rather than inside it: HTML wraps long or many entries by
/// itself, where SVG text would run off the edge or over the data.
/// </summary>
internal static class Legend
{
    public static void Append(StringBuilder html, IEnumerable<(string Label, string Colour)> entries, string cssClass = "legend")
    {
        html.Append($"<ul class=\"{cssClass}\">");
        foreach (var (label, colour) in entries)
            html.Append($"<li><span class=\"key\" style=\"background:{colour}\"></span>{Escape(label)}</li>");
        html.Append("</ul>");
    }
}

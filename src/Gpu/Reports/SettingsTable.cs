using System.Text;
using static RecurrentKif.Gpu.Reports.HtmlText;

namespace RecurrentKif.Gpu.Reports;

/// <summary>
/// The run's settings, and the method's own numbers (report extras) when it has any: what someone needs to
/// reproduce the run or to tell two reports apart.
/// </summary>
internal static class SettingsTable
{
    public static void Append(StringBuilder html, RunReportData data)
    {
        html.Append("<section id=\"settings\"><h2>Settings</h2>");
        if (data.Settings.Count == 0) html.Append("<p class=\"note\">No settings were recorded.</p>");
        else AppendTable(html, data.Settings.Select(p => (p.Key, p.Value)));

        var extras = data.Report.Extras;
        if (extras.Count > 0)
        {
            html.Append("<h3>Method numbers</h3>");
            AppendTable(html, extras.Select(p => (p.Key, Number(p.Value, "G6"))));
        }
        html.Append("</section>");
    }

    private static void AppendTable(StringBuilder html, IEnumerable<(string Name, string Value)> rows)
    {
        html.Append("<table class=\"settings\"><tbody>");
        foreach (var (name, value) in rows)
            html.Append($"<tr><th scope=\"row\">{Escape(name)}</th><td>{Escape(value)}</td></tr>");
        html.Append("</tbody></table>");
    }
}

using System.Globalization;
using System.Text;

namespace RecurrentKif.Gpu.Reports;

/// <summary>
/// Escaping and number formatting shared by the report's sections. Every string that comes from data goes through
/// <see cref="Escape"/>; numbers use the invariant culture so a report reads the same on every machine.
/// </summary>
internal static class HtmlText
{
    /// <summary>What a value that was not measured (NaN, null) shows as.</summary>
    public const string Missing = "–";

    /// <summary>The mark on tasks evaluated on their dev split, as in the plain-text tables.</summary>
    public const string DevMark = "†";

    /// <summary>
    /// Escapes text for element content and quoted attributes alike. Quotes are escaped too, so one function is
    /// safe everywhere; numeric references keep the page parseable as XML, which has no &amp;nbsp; and friends.
    /// </summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var escaped = new StringBuilder(text.Length + 16);
        foreach (char c in text)
        {
            switch (c)
            {
                case '&': escaped.Append("&amp;"); break;
                case '<': escaped.Append("&lt;"); break;
                case '>': escaped.Append("&gt;"); break;
                case '"': escaped.Append("&quot;"); break;
                case '\'': escaped.Append("&#39;"); break;
                default:
                    // Control characters are not allowed in XML and mean nothing on a page.
                    if (char.IsControl(c) && c is not '\n' and not '\t') escaped.Append(' ');
                    else escaped.Append(c);
                    break;
            }
        }
        return escaped.ToString();
    }

    /// <summary>A fraction as a percentage with one decimal ("81.2"), the format of the plain-text tables.</summary>
    public static string Percent(double? fraction) =>
        fraction is double value && double.IsFinite(value) ? (100 * value).ToString("F1", CultureInfo.InvariantCulture) : Missing;

    public static string Percent(double fraction) => Percent((double?)fraction);

    /// <summary>A number in the given .NET format, or <see cref="Missing"/> when it is NaN, infinite or null.</summary>
    public static string Number(double? value, string format) =>
        value is double v && double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : Missing;

    public static string Integer(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>An SVG coordinate: short, invariant, never NaN (a NaN attribute would break the whole drawing).</summary>
    public static string Coord(double value) =>
        double.IsFinite(value) ? Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture) : "0";

    /// <summary>Wall time as people say it: "42.0 s", "3 min 05 s", "2 h 03 min".</summary>
    public static string Duration(double seconds)
    {
        if (!double.IsFinite(seconds) || seconds < 0) return Missing;
        if (seconds < 60) return seconds.ToString("F1", CultureInfo.InvariantCulture) + " s";
        var span = TimeSpan.FromSeconds(seconds);
        return span.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours} h {span.Minutes:00} min")
            : string.Create(CultureInfo.InvariantCulture, $"{span.Minutes} min {span.Seconds:00} s");
    }
}

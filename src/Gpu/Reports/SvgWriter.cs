using System.Text;
using static RecurrentKif.Gpu.Reports.HtmlText;

namespace RecurrentKif.Gpu.Reports;

/// <summary>
/// Writes one inline SVG drawing. Charts describe what to draw in their own coordinates; this class owns the
/// markup (escaping, number format, accessibility title), so a chart cannot emit a broken or unescaped element.
/// </summary>
internal sealed class SvgWriter
{
    private readonly StringBuilder _svg = new();

    /// <summary>Starts a drawing that scales with the page but never grows beyond its natural width.</summary>
    public SvgWriter(double width, double height, string cssClass, string description)
    {
        _svg.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"{cssClass}\" viewBox=\"0 0 {Coord(width)} {Coord(height)}\" ")
            .Append($"width=\"{Coord(width)}\" height=\"{Coord(height)}\" role=\"img\" aria-label=\"{Escape(description)}\">")
            .Append($"<title>{Escape(description)}</title>");
    }

    public SvgWriter Line(double x1, double y1, double x2, double y2, string cssClass)
    {
        _svg.Append($"<line class=\"{cssClass}\" x1=\"{Coord(x1)}\" y1=\"{Coord(y1)}\" x2=\"{Coord(x2)}\" y2=\"{Coord(y2)}\" />");
        return this;
    }

    /// <summary>A rectangle; <paramref name="tooltip"/> becomes its hover text (SVG &lt;title&gt;).</summary>
    public SvgWriter Rect(double x, double y, double width, double height, string fill, string cssClass, string? tooltip = null)
    {
        _svg.Append($"<rect class=\"{cssClass}\" x=\"{Coord(x)}\" y=\"{Coord(y)}\" width=\"{Coord(Math.Max(0, width))}\" ")
            .Append($"height=\"{Coord(Math.Max(0, height))}\" fill=\"{fill}\"");
        if (tooltip is null) _svg.Append(" />");
        else _svg.Append($"><title>{Escape(tooltip)}</title></rect>");
        return this;
    }

    /// <summary>Text; <paramref name="anchor"/> is start, middle or end.</summary>
    public SvgWriter Text(double x, double y, string text, string cssClass, string anchor = "start", string? fill = null)
    {
        _svg.Append($"<text class=\"{cssClass}\" x=\"{Coord(x)}\" y=\"{Coord(y)}\" text-anchor=\"{anchor}\"")
            .Append(fill is null ? "" : $" fill=\"{fill}\"")
            .Append($">{Escape(text)}</text>");
        return this;
    }

    /// <summary>Text turned a quarter anticlockwise about its anchor point, for vertical axis titles.</summary>
    public SvgWriter VerticalText(double x, double y, string text, string cssClass)
    {
        _svg.Append($"<text class=\"{cssClass}\" x=\"{Coord(x)}\" y=\"{Coord(y)}\" text-anchor=\"middle\" ")
            .Append($"transform=\"rotate(-90 {Coord(x)} {Coord(y)})\">{Escape(text)}</text>");
        return this;
    }

    /// <summary>A path given as SVG path data (already made of numbers only), stroked, not filled.</summary>
    public SvgWriter Path(string data, string stroke, string cssClass, string dash = "", string? tooltip = null)
    {
        _svg.Append($"<path class=\"{cssClass}\" d=\"{data}\" stroke=\"{stroke}\" fill=\"none\"")
            .Append(dash.Length == 0 ? "" : $" stroke-dasharray=\"{dash}\"");
        if (tooltip is null) _svg.Append(" />");
        else _svg.Append($"><title>{Escape(tooltip)}</title></path>");
        return this;
    }

    public string Close() => _svg.Append("</svg>").ToString();
}

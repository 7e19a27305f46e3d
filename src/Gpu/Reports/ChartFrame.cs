using System.Globalization;

namespace RecurrentKif.Gpu.Reports;

/// <summary>
/// The plotting area of one chart and its linear scales: maps data values to SVG coordinates and draws the axes,
/// tick labels and light grid lines that every chart here shares.
/// </summary>
internal sealed class ChartFrame(double left, double top, double width, double height, double xMin, double xMax, double yMin, double yMax)
{
    public double Left { get; } = left;
    public double Top { get; } = top;
    public double Width { get; } = width;
    public double Height { get; } = height;
    public double Right => Left + Width;
    public double Bottom => Top + Height;

    public double X(double value) => xMax > xMin ? Left + (value - xMin) / (xMax - xMin) * Width : Left + Width / 2;

    public double Y(double value) => yMax > yMin ? Bottom - (value - yMin) / (yMax - yMin) * Height : Bottom - Height / 2;

    /// <summary>Horizontal grid lines at the ticks, their labels on the left, and the axis title turned upright.</summary>
    public void DrawYAxis(SvgWriter svg, IEnumerable<double> ticks, Func<double, string> label, string title)
    {
        foreach (double tick in ticks)
        {
            double y = Y(tick);
            svg.Line(Left, y, Right, y, "grid");
            svg.Text(Left - 6, y + 4, label(tick), "tick", "end");
        }
        svg.Line(Left, Top, Left, Bottom, "axis");
        svg.VerticalText(Left - 44, Top + Height / 2, title, "axis-title");
    }

    /// <summary>Tick marks and labels below the plot at the given values, the baseline, and the axis title under them.</summary>
    public void DrawXAxis(SvgWriter svg, IEnumerable<int> ticks, string title)
    {
        foreach (int tick in ticks)
        {
            double x = X(tick);
            svg.Line(x, Bottom, x, Bottom + 5, "axis");
            svg.Text(x, Bottom + 18, tick.ToString("N0", CultureInfo.InvariantCulture), "tick", "middle");
        }
        svg.Line(Left, Bottom, Right, Bottom, "axis");
        svg.Text(Left + Width / 2, Bottom + 38, title, "axis-title", "middle");
    }
}

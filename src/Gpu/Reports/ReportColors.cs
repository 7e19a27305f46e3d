using System.Globalization;

namespace RecurrentKif.Gpu.Reports;

/// <summary>
/// The report's colours. Task lines use the Okabe–Ito palette, which stays distinguishable under the common forms
/// of colour blindness; its yellow is left out because thin yellow lines vanish on white. The heat map uses one hue
/// (blue) from light to dark, so it reads by lightness alone, also in greyscale.
/// </summary>
internal static class ReportColors
{
    private static readonly string[] TaskPalette =
        ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000"];

    /// <summary>Dash patterns for when tasks outnumber colours, so a repeated colour still looks different.</summary>
    private static readonly string[] TaskDashes = ["", "6 3", "2 2"];

    public static string Task(int index) => TaskPalette[index % TaskPalette.Length];

    public static string TaskDash(int index) => TaskDashes[index / TaskPalette.Length % TaskDashes.Length];

    /// <summary>Mask categories: the two single masks get the palette's two strongest contrasting colours.</summary>
    public const string InOnly = "#0072B2";
    public const string OutOnly = "#E69F00";
    public const string Both = "#009E73";
    public const string Neither = "#C8C8C8";

    /// <summary>Bars: accuracy right after learning a task (light) and at the end of the run (dark), same hue.</summary>
    public const string JustLearned = "#9ECAE1";
    public const string Final = "#08519C";

    public const string Unmeasured = "#F0F0F0";

    // Light to dark blue; accuracy 0 → first stop, 1 → last.
    private static readonly (double R, double G, double B)[] HeatStops =
    [
        (247, 251, 255), (198, 219, 239), (107, 174, 214), (33, 113, 181), (8, 48, 107),
    ];

    /// <summary>Background of a heat-map cell for an accuracy in [0, 1].</summary>
    public static string Heat(double accuracy)
    {
        double t = Math.Clamp(accuracy, 0, 1) * (HeatStops.Length - 1);
        int low = Math.Min((int)t, HeatStops.Length - 2);
        double f = t - low;
        var (r0, g0, b0) = HeatStops[low];
        var (r1, g1, b1) = HeatStops[low + 1];
        return string.Create(CultureInfo.InvariantCulture,
            $"#{Mix(r0, r1, f):X2}{Mix(g0, g1, f):X2}{Mix(b0, b1, f):X2}");
    }

    /// <summary>Text on a heat-map cell: white once the background is dark enough that black would be hard to read.</summary>
    public static string HeatText(double accuracy) => accuracy >= 0.55 ? "#FFFFFF" : "#111111";

    private static int Mix(double a, double b, double f) => (int)Math.Round(a + (b - a) * f);
}

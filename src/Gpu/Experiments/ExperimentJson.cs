using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RecurrentKif.Gpu.Experiments;

/// <summary>
/// experiment.json: every run's accuracy matrix and metrics, and the per-variant summary over seeds. JSON has no
/// NaN, so unmeasured numbers are written as null.
/// </summary>
public static class ExperimentJson
{
    public const int FormatVersion = 1;

    /// <summary>The conventions of the experiment files (camelCase, indented, readable "+" and "−"); benchmark.json shares them.</summary>
    internal static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        // Variant names carry "+" and "−"; a file read by people should show them, not \u escapes (no HTML here).
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(ExperimentResult result, string path) => WriteText(Serialize(result), path);

    /// <summary>Writes a file, creating its folder first.</summary>
    internal static void WriteText(string text, string path)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        File.WriteAllText(path, text);
    }

    public static string Serialize(ExperimentResult result) => JsonSerializer.Serialize(Shape(result), Options);

    /// <summary>The object experiment.json holds, for embedding it in larger files (benchmark.json) unchanged.</summary>
    internal static object Shape(ExperimentResult result) => new
    {
        formatVersion = FormatVersion,
        tasks = result.TaskNames,
        chanceLevels = result.ChanceLevels.Select(NullIfNaN),
        seeds = result.Seeds,
        variants = result.Variants,
        runs = result.Runs.Select(r => new
        {
            variant = r.Variant,
            seed = r.Seed,
            accuracies = r.Report.Accuracies.ToNullableRows(),
            metrics = r.Report.Metrics,
            justLearned = r.JustLearnedMean,
            wallClockSeconds = NullIfNaN(r.Report.WallClockSeconds),
            evaluatedOnDev = r.Report.EvaluatedOnDev,
            extras = r.Report.Extras.ToDictionary(e => e.Key, e => NullIfNaN(e.Value)),
        }),
        summary = result.Summaries,
    };

    internal static double? NullIfNaN(double value) => double.IsNaN(value) ? null : value;
}

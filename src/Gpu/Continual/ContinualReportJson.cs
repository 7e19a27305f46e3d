using System.Text.Json;
using System.Text.Json.Serialization;

namespace RecurrentKif.Gpu.Continual;

/// <summary>
/// The JSON shape of a report file. JSON has no NaN, so every number that may be unmeasured is a nullable double
/// here: NaN is written as null and read back as NaN.
/// </summary>
internal static class ContinualReportJson
{
    public const int FormatVersion = 1;

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static void Write(IEnumerable<ContinualReport> reports, string path)
    {
        var file = new ReportFile(FormatVersion, reports.Select(ToDto).ToArray());
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        File.WriteAllText(path, JsonSerializer.Serialize(file, Options));
    }

    public static IReadOnlyList<ContinualReport> Read(string path)
    {
        ReportFile? file;
        try
        {
            file = JsonSerializer.Deserialize<ReportFile>(File.ReadAllText(path), Options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Report file '{path}' is not valid report JSON: {e.Message}", e);
        }
        if (file?.Reports is null) throw new InvalidDataException($"Report file '{path}' holds no 'reports' array.");
        if (file.FormatVersion != FormatVersion)
            throw new InvalidDataException($"Report file '{path}' has format version {file.FormatVersion}; this build reads {FormatVersion}.");
        return file.Reports.Select((dto, index) => FromDto(dto, path, index)).ToArray();
    }

    private static ReportDto ToDto(ContinualReport report) => new(
        report.Method,
        [.. report.TaskNames],
        report.Accuracies.ToNullableRows(),
        report.Metrics,
        NullIfNaN(report.WallClockSeconds),
        [.. report.EvaluatedOnDev],
        report.Extras.ToDictionary(e => e.Key, e => NullIfNaN(e.Value)),
        report.ChanceLevels.Count == 0 ? null : report.ChanceLevels.Select(NullIfNaN).ToArray(),
        report.Training.Count == 0 ? null : report.Training.Select(ToDto).ToArray());

    private static TrainingDto ToDto(TaskTrainingCurves t) => new(
        t.Task, t.Losses.Select(NullIfNaN).ToArray(), t.FirstTokenLosses.Select(NullIfNaN).ToArray(),
        t.Validations.Select(v => new ValidationDto(v.Step, NullIfNaN(v.Loss), NullIfNaN(v.FirstTokenAccuracy))).ToArray());

    private static TaskTrainingCurves FromDto(TrainingDto t) => new(
        t.Task ?? "", (t.Losses ?? []).Select(v => v ?? double.NaN).ToArray(), (t.FirstTokenLosses ?? []).Select(v => v ?? double.NaN).ToArray(),
        (t.Validations ?? []).Select(v => new ValidationPoint(v.Step, v.Loss ?? double.NaN, v.FirstTokenAccuracy ?? double.NaN)).ToArray());

    private static ContinualReport FromDto(ReportDto dto, string path, int index)
    {
        string where = $"Report file '{path}', report {index}";
        if (dto.Method is null || dto.TaskNames is null || dto.Accuracies is null || dto.Metrics is null || dto.EvaluatedOnDev is null)
            throw new InvalidDataException($"{where}: a required field is missing.");
        int k = dto.TaskNames.Length;
        if (dto.EvaluatedOnDev.Length != k)
            throw new InvalidDataException($"{where}: 'evaluatedOnDev' has {dto.EvaluatedOnDev.Length} entries for {k} tasks.");
        var matrix = AccuracyMatrix.FromRows(dto.TaskNames, dto.Accuracies, where);
        var extras = (dto.Extras ?? []).ToDictionary(e => e.Key, e => e.Value ?? double.NaN);
        if (dto.ChanceLevels is not null && dto.ChanceLevels.Length != k)
            throw new InvalidDataException($"{where}: 'chanceLevels' has {dto.ChanceLevels.Length} entries for {k} tasks.");
        return new ContinualReport(dto.Method, dto.TaskNames, matrix, dto.Metrics, dto.WallClockSeconds ?? double.NaN, dto.EvaluatedOnDev, extras)
        {
            // Files written before chance levels were recorded have none: the tables then show no chance row.
            ChanceLevels = dto.ChanceLevels?.Select(c => c ?? double.NaN).ToArray() ?? [],
            Training = dto.Training?.Select(FromDto).ToArray() ?? [],
        };
    }

    private static double? NullIfNaN(double value) => double.IsNaN(value) ? null : value;

    private sealed record ReportFile(int FormatVersion, ReportDto[]? Reports);

    private sealed record ReportDto(
        string? Method,
        string[]? TaskNames,
        double?[][]? Accuracies,
        ContinualMetrics? Metrics,
        double? WallClockSeconds,
        bool[]? EvaluatedOnDev,
        Dictionary<string, double?>? Extras,
        double?[]? ChanceLevels = null,
        TrainingDto[]? Training = null);

    private sealed record TrainingDto(string? Task, double?[]? Losses, double?[]? FirstTokenLosses, ValidationDto[]? Validations);

    private sealed record ValidationDto(int Step, double? Loss, double? FirstTokenAccuracy);
}

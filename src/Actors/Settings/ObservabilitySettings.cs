namespace RecurrentKif.Actors.Settings;

/// <summary>
/// What a run records besides its journal, checkpoints and reports (rkif.logging, rkif.metrics; docs/observability.md).
/// None of it changes the results, so none of it is part of the settings fingerprint.
/// </summary>
/// <param name="TensorBoard">TensorBoard event files under &lt;run folder&gt;/tensorboard.</param>
/// <param name="LogFile">The rolling compact-JSON log file under &lt;run folder&gt;/logs.</param>
public sealed record ObservabilitySettings(bool TensorBoard, LogFileSettings LogFile, MetricsSettings Metrics)
{
    public static readonly ObservabilitySettings Default = new(false, LogFileSettings.Default, MetricsSettings.None);
}

/// <param name="Enabled">Write the file at all.</param>
/// <param name="FileSizeLimitBytes">A file rolls over to the next one at this size (and every day).</param>
/// <param name="RetainedFiles">Files kept; older ones are deleted.</param>
public sealed record LogFileSettings(bool Enabled, long FileSizeLimitBytes, int RetainedFiles)
{
    public static readonly LogFileSettings Default = new(true, 64L << 20, 10);
}

/// <summary>Which OpenTelemetry exporter serves the "RecurrentKif" meter (<see cref="Telemetry.RkifMetrics"/>).</summary>
public enum MetricsExporter { None, Prometheus, Otlp }

/// <param name="PrometheusHost">Host name the Prometheus scrape endpoint (http://host:port/metrics) listens on.</param>
/// <param name="OtlpEndpoint">The OpenTelemetry collector the OTLP exporter pushes to.</param>
/// <param name="OtlpProtocol">grpc or http/protobuf.</param>
/// <param name="ExportInterval">How often OTLP pushes.</param>
public sealed record MetricsSettings(MetricsExporter Exporter, string PrometheusHost, int PrometheusPort, string OtlpEndpoint, string OtlpProtocol, TimeSpan ExportInterval)
{
    public static readonly MetricsSettings None = new(MetricsExporter.None, "localhost", 9464, "http://localhost:4317", "grpc", TimeSpan.FromSeconds(10));
}

namespace RecurrentKif.Actors.Settings;

/// <summary>
/// What a run records besides its journal, checkpoints and reports (rkif.logging, rkif.metrics; docs/observability.md).
/// None of it changes the results, so none of it is part of the settings fingerprint.
/// </summary>
/// <param name="TensorBoard">TensorBoard event files under &lt;run folder&gt;/tensorboard.</param>
/// <param name="LogFile">The rolling compact-JSON log file under &lt;run folder&gt;/logs.</param>
/// <remarks>No C# defaults: every value comes from hocon/reference.conf (<see cref="RunConfigurationLoader.Defaults"/>).</remarks>
public sealed record ObservabilitySettings(bool TensorBoard, LogFileSettings LogFile, MetricsSettings Metrics);

/// <param name="Enabled">Write the file at all.</param>
/// <param name="FileSizeLimitBytes">A file rolls over to the next one at this size (and every day).</param>
/// <param name="RetainedFiles">Files kept; older ones are deleted.</param>
public sealed record LogFileSettings(bool Enabled, long FileSizeLimitBytes, int RetainedFiles);

/// <summary>Which OpenTelemetry exporter serves the "RecurrentKif" meter (<see cref="Telemetry.RkifMetrics"/>).</summary>
public enum MetricsExporter { None, Prometheus, Otlp }

/// <param name="PrometheusHost">Host name the Prometheus scrape endpoint (http://host:port/metrics) listens on.</param>
/// <param name="OtlpEndpoint">The OpenTelemetry collector the OTLP exporter pushes to.</param>
/// <param name="OtlpProtocol">grpc or http/protobuf.</param>
/// <param name="ExportInterval">How often OTLP pushes.</param>
public sealed record MetricsSettings(MetricsExporter Exporter, string PrometheusHost, int PrometheusPort, string OtlpEndpoint, string OtlpProtocol, TimeSpan ExportInterval);

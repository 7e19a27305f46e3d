using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using RecurrentKif.Actors.Settings;
using RecurrentKif.Actors.Telemetry;
using Serilog;

namespace RecurrentKif.Launcher.Observability;

/// <summary>
/// Serves the "RecurrentKif" meter (<see cref="RkifMetrics"/>) through the OpenTelemetry exporter rkif.metrics.exporter
/// names (docs/observability.md §4): a Prometheus scrape endpoint in this process, or OTLP pushed to a collector.
/// Nothing is started for "none" (the default), so a plain run pays nothing.
/// </summary>
public static class MetricsExport
{
    /// <returns>The meter provider to dispose at exit (it flushes OTLP and closes the endpoint), or null.</returns>
    public static MeterProvider? Start(MetricsSettings settings)
    {
        if (settings.Exporter == MetricsExporter.None) return null;
        // service.name "rkif" (Prometheus: target_info, OTLP: the resource), so dashboards need not match "unknown_service".
        var builder = Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(resource => resource.AddService("rkif", serviceVersion: typeof(RkifMetrics).Assembly.GetName().Version?.ToString()))
            .AddMeter(RkifMetrics.MeterName);
        switch (settings.Exporter)
        {
            case MetricsExporter.Prometheus:
                builder.AddPrometheusHttpListener(o =>
                {
                    o.Host = settings.PrometheusHost;
                    o.Port = settings.PrometheusPort;
                });
                Log.Information("Metrics: Prometheus endpoint at http://{Host}:{Port}/metrics", settings.PrometheusHost, settings.PrometheusPort);
                break;
            case MetricsExporter.Otlp:
                builder.AddOtlpExporter((exporter, reader) =>
                {
                    exporter.Endpoint = new Uri(settings.OtlpEndpoint);
                    exporter.Protocol = settings.OtlpProtocol == "grpc" ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)settings.ExportInterval.TotalMilliseconds;
                });
                Log.Information("Metrics: OTLP ({Protocol}) to {Endpoint} every {Interval}", settings.OtlpProtocol, settings.OtlpEndpoint, settings.ExportInterval);
                break;
        }
        return builder.Build();
    }
}

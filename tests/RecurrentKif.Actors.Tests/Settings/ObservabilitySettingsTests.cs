using RecurrentKif.Actors.Settings;

namespace RecurrentKif.Actors.Tests.Settings;

/// <summary>rkif.logging and rkif.metrics bind with reference.conf's defaults (exporters and TensorBoard off) and refuse bad values.</summary>
public sealed class ObservabilitySettingsTests : IDisposable
{
    private readonly string file = Path.Combine(Path.GetTempPath(), $"rkif-observability-{Guid.NewGuid():N}.conf");

    public void Dispose() => File.Delete(file);

    private ObservabilitySettings Load(string hocon)
    {
        File.WriteAllText(file, hocon);
        return RunConfigurationLoader.Load(file).Observability;
    }

    [Fact]
    public void Reference_defaults_write_the_log_file_and_nothing_else()
    {
        var settings = Load("rkif {}");
        Assert.False(settings.TensorBoard);
        Assert.Equal(new LogFileSettings(true, 64L << 20, 10), settings.LogFile);
        Assert.Equal(MetricsExporter.None, settings.Metrics.Exporter);
        Assert.Equal(("localhost", 9464), (settings.Metrics.PrometheusHost, settings.Metrics.PrometheusPort));
        Assert.Equal(("http://localhost:4317", "grpc", TimeSpan.FromSeconds(10)), (settings.Metrics.OtlpEndpoint, settings.Metrics.OtlpProtocol, settings.Metrics.ExportInterval));
    }

    [Fact]
    public void Keys_bind_and_do_not_change_the_fingerprint()
    {
        File.WriteAllText(file, "rkif {}");
        string plain = RunConfigurationLoader.Load(file).Fingerprint();
        File.WriteAllText(file, """
            rkif {
              logging { tensorboard = on, file = off, file-size-limit = 1 MiB, retained-files = 2 }
              metrics { exporter = "otlp", otlp { endpoint = "http://collector:4318/v1/metrics", protocol = "http/protobuf", interval = 30s } }
            }
            """);
        var run = RunConfigurationLoader.Load(file);
        Assert.True(run.Observability.TensorBoard);
        Assert.Equal(new LogFileSettings(false, 1L << 20, 2), run.Observability.LogFile);
        Assert.Equal(MetricsExporter.Otlp, run.Observability.Metrics.Exporter);
        Assert.Equal("http/protobuf", run.Observability.Metrics.OtlpProtocol);
        Assert.Equal(TimeSpan.FromSeconds(30), run.Observability.Metrics.ExportInterval);
        Assert.Equal(plain, run.Fingerprint());
    }

    [Theory]
    [InlineData("rkif.metrics.exporter = \"statsd\"", "rkif.metrics.exporter")]
    [InlineData("rkif.metrics.prometheus.port = 70000", "rkif.metrics.prometheus.port")]
    [InlineData("rkif.metrics.otlp.protocol = \"udp\"", "rkif.metrics.otlp.protocol")]
    [InlineData("rkif.metrics.otlp.endpoint = \"collector:4317\"", "rkif.metrics.otlp.endpoint")]
    [InlineData("rkif.logging.file-size-limit = 10 bytes", "rkif.logging.file-size-limit")]
    [InlineData("rkif.logging.retained-files = 0", "rkif.logging.retained-files")]
    public void Bad_values_are_refused_with_their_key(string hocon, string key)
    {
        var error = Assert.Throws<RunConfigurationException>(() => Load(hocon));
        Assert.Contains(key, error.Message);
    }
}

using Akka.Configuration;

namespace RecurrentKif.Actors.Settings;

/// <summary>Binds rkif.logging and rkif.metrics (hocon/reference.conf) to <see cref="ObservabilitySettings"/>.</summary>
internal static class ObservabilitySettingsLoader
{
    public static ObservabilitySettings Load(Config config, RunConfigurationLoader.Reader read)
    {
        var logFile = new LogFileSettings(read.Bool("logging.file"), Size(config, read, "logging.file-size-limit"), read.Int("logging.retained-files", min: 1));
        var exporter = read.Enum<MetricsExporter>("metrics.exporter");
        string host = read.String("metrics.prometheus.host");
        if (Uri.CheckHostName(host) == UriHostNameType.Unknown && host is not ("+" or "*"))
            throw read.Error("metrics.prometheus.host", $"must be a host name or address, got '{host}'");
        int port = read.Int("metrics.prometheus.port", min: 1);
        if (port > 65535) throw read.Error("metrics.prometheus.port", $"must be at most 65535, got {port}");
        string otlp = read.String("metrics.otlp.endpoint");
        if (!Uri.TryCreate(otlp, UriKind.Absolute, out var otlpUri) || otlpUri.Scheme is not ("http" or "https"))
            throw read.Error("metrics.otlp.endpoint", $"must be an http(s):// address, got '{otlp}'");
        string protocol = read.String("metrics.otlp.protocol");
        if (protocol is not ("grpc" or "http/protobuf")) throw read.Error("metrics.otlp.protocol", $"must be grpc or http/protobuf, got '{protocol}'");
        var interval = Duration(config, read, "metrics.otlp.interval");
        return new ObservabilitySettings(read.Bool("logging.tensorboard"), logFile, new MetricsSettings(exporter, host, port, otlp, protocol, interval));
    }

    private static long Size(Config config, RunConfigurationLoader.Reader read, string key)
    {
        read.String(key);
        long? bytes;
        try { bytes = config.GetByteSize("rkif." + key); }
        catch (Exception e) { throw read.Error(key, $"must be a size such as 64 MiB ({e.Message})"); }
        return bytes is >= 1024 ? bytes.Value : throw read.Error(key, $"must be a size of at least 1 KiB such as 64 MiB, got '{config.GetString("rkif." + key)}'");
    }

    private static TimeSpan Duration(Config config, RunConfigurationLoader.Reader read, string key)
    {
        read.String(key);
        TimeSpan value;
        try { value = config.GetTimeSpan("rkif." + key, allowInfinite: false); }
        catch (Exception e) { throw read.Error(key, $"must be a duration such as 10s ({e.Message})"); }
        return value >= TimeSpan.FromSeconds(1) ? value : throw read.Error(key, $"must be at least 1s, got {value}");
    }
}

using System.Net;
using Akka.Configuration;
using RecurrentKif.Actors.Settings;

namespace RecurrentKif.Actors.Gateway;

/// <summary>
/// Binds <c>rkif.gateway</c> to <see cref="GatewaySettings"/>. Errors name the file (or the environment variable) and
/// the key, like <see cref="RunConfigurationLoader"/>, whose reader this shares.
/// </summary>
public static class GatewaySettingsLoader
{
    /// <summary>Shorter tokens are guessable; refusing them at start-up beats discovering it after a break-in.</summary>
    public const int MinimumTokenLength = 16;

    /// <param name="config">The run's HOCON with reference.conf underneath (<see cref="RunConfigurationLoader.LoadHocon"/>).</param>
    /// <param name="sourceFile">Named in error messages.</param>
    /// <param name="dataRoot">The run's data root: submitted task folders must lie inside it.</param>
    public static GatewaySettings Load(Config config, string sourceFile, string dataRoot)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentException.ThrowIfNullOrEmpty(dataRoot);
        var read = new RunConfigurationLoader.Reader(config, sourceFile);

        string token = read.String("gateway.token", allowEmpty: true);
        string tokenOrigin = $"{sourceFile}: rkif.gateway.token";
        string tokenEnv = read.String("gateway.token-env", allowEmpty: true);
        if (tokenEnv.Length > 0 && Environment.GetEnvironmentVariable(tokenEnv) is { Length: > 0 } fromEnvironment)
        {
            token = fromEnvironment;
            tokenOrigin = $"environment variable {tokenEnv} (named by {sourceFile}: rkif.gateway.token-env)";
        }
        if (token.Length > 0 && token.Length < MinimumTokenLength)
            throw new RunConfigurationException($"{tokenOrigin} must be at least {MinimumTokenLength} characters, got {token.Length}");
        // The token travels in an HTTP header: whitespace or control characters would make it unusable there.
        if (token.Any(c => c <= ' ' || c > '~'))
            throw new RunConfigurationException($"{tokenOrigin} must be printable ASCII without spaces");

        int port = read.Int("gateway.http.port", min: 0);
        if (port > 65535) throw read.Error("gateway.http.port", $"must be at most 65535, got {port}");
        string bind = read.String("gateway.http.bind");
        if (!IPAddress.TryParse(bind, out _)) throw read.Error("gateway.http.bind", $"must be an IP address such as 127.0.0.1 or 0.0.0.0, got '{bind}'");

        return new GatewaySettings
        {
            Token = token,
            DataRoot = Path.GetFullPath(dataRoot),
            HttpPort = port,
            HttpBind = bind,
            MaxTaskFileBytes = ByteSize(config, read, "gateway.max-task-file-bytes"),
            MaxRecordsPerSplit = read.Int("gateway.max-records-per-split", min: 1),
            AskTimeout = Duration(config, read, "gateway.ask-timeout"),
        };
    }

    private static long ByteSize(Config config, RunConfigurationLoader.Reader read, string key)
    {
        read.String(key); // "is missing" / "must not be empty" with the file and key
        long? bytes;
        try { bytes = config.GetByteSize("rkif." + key); }
        catch (Exception e) { throw read.Error(key, $"must be a size such as 256 MiB ({e.Message})"); }
        return bytes is > 0 ? bytes.Value : throw read.Error(key, $"must be a positive size such as 256 MiB, got '{config.GetString("rkif." + key)}'");
    }

    private static TimeSpan Duration(Config config, RunConfigurationLoader.Reader read, string key)
    {
        read.String(key);
        TimeSpan value;
        try { value = config.GetTimeSpan("rkif." + key, allowInfinite: false); }
        catch (Exception e) { throw read.Error(key, $"must be a duration such as 10s ({e.Message})"); }
        return value > TimeSpan.Zero ? value : throw read.Error(key, $"must be a positive duration such as 10s, got '{config.GetString("rkif." + key)}'");
    }
}

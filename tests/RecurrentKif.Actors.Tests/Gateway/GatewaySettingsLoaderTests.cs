using RecurrentKif.Actors.Gateway;
using RecurrentKif.Actors.Settings;

namespace RecurrentKif.Actors.Tests.Gateway;

public sealed class GatewaySettingsLoaderTests : IDisposable
{
    private readonly string file = Path.Combine(Path.GetTempPath(), $"rkif-gateway-{Guid.NewGuid():N}.conf");

    public void Dispose() => File.Delete(file);

    private GatewaySettings Load(string hocon)
    {
        File.WriteAllText(file, hocon);
        return GatewaySettingsLoader.Load(RunConfigurationLoader.LoadHocon(file), file, "some-root");
    }

    private RunConfigurationException Error(string hocon) => Assert.Throws<RunConfigurationException>(() => Load(hocon));

    [Fact]
    public void Reference_defaults_refuse_everyone_and_keep_http_off()
    {
        // token-env points at a variable nobody sets, so the machine's environment cannot change the outcome.
        var settings = Load("rkif.gateway.token-env = \"RKIF_TEST_UNSET_VARIABLE_7F3A\"");
        Assert.False(settings.HasToken);
        Assert.Equal(0, settings.HttpPort);
        Assert.Equal("127.0.0.1", settings.HttpBind);
        Assert.Equal(256L * 1024 * 1024, settings.MaxTaskFileBytes);
        Assert.Equal(200_000, settings.MaxRecordsPerSplit);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.AskTimeout);
        Assert.Equal(Path.GetFullPath("some-root"), settings.DataRoot);
    }

    [Fact]
    public void Keys_bind_and_the_token_never_shows_in_ToString()
    {
        var settings = Load("""
            rkif.gateway {
              token = "0123456789abcdef-secret"
              token-env = ""
              http { port = 8080, bind = "0.0.0.0" }
              max-task-file-bytes = 1 MiB
              max-records-per-split = 10
              ask-timeout = 1500ms
            }
            """);
        Assert.Equal("0123456789abcdef-secret", settings.Token);
        Assert.Equal((8080, "0.0.0.0", 1024L * 1024, 10, TimeSpan.FromMilliseconds(1500)),
            (settings.HttpPort, settings.HttpBind, settings.MaxTaskFileBytes, settings.MaxRecordsPerSplit, settings.AskTimeout));
        Assert.DoesNotContain("secret", settings.ToString());
    }

    [Fact]
    public void The_environment_variable_overrides_the_file_token()
    {
        string variable = "RKIF_TEST_TOKEN_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, "from-the-environment-0123");
        try
        {
            Assert.Equal("from-the-environment-0123", Load($"rkif.gateway {{ token = \"from-the-file-0123456\", token-env = \"{variable}\" }}").Token);
            Environment.SetEnvironmentVariable(variable, "short");
            var error = Error($"rkif.gateway.token-env = \"{variable}\"");
            Assert.Contains($"environment variable {variable}", error.Message);
            Assert.Contains("at least 16 characters", error.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Theory]
    [InlineData("rkif.gateway.token = \"too-short\"", "rkif.gateway.token must be at least 16 characters")]
    [InlineData("rkif.gateway.token = \"has a space in it 0123\"", "rkif.gateway.token must be printable ASCII")]
    [InlineData("rkif.gateway.http.port = 70000", "rkif.gateway.http.port must be at most 65535")]
    [InlineData("rkif.gateway.http.port = -1", "rkif.gateway.http.port must be at least 0")]
    [InlineData("rkif.gateway.http.bind = \"localhost\"", "rkif.gateway.http.bind must be an IP address")]
    [InlineData("rkif.gateway.max-task-file-bytes = lots", "rkif.gateway.max-task-file-bytes must be")]
    [InlineData("rkif.gateway.max-records-per-split = 0", "rkif.gateway.max-records-per-split must be at least 1")]
    [InlineData("rkif.gateway.ask-timeout = soon", "rkif.gateway.ask-timeout must be")]
    [InlineData("rkif.gateway.ask-timeout = 0s", "rkif.gateway.ask-timeout must be a positive duration")]
    public void Bad_values_name_the_file_and_the_key(string hocon, string expected)
    {
        var error = Error("rkif.gateway.token-env = \"\"\n" + hocon);
        Assert.StartsWith(file + ": ", error.Message);
        Assert.Contains(expected, error.Message);
    }
}

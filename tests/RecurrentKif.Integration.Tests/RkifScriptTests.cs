using System.Diagnostics;

namespace RecurrentKif.Integration.Tests;

/// <summary>
/// The `rkif` script at the repository root builds only when an input changed and picks the JIT settings per command
/// (docs/performance.md, "CLI start-up"). tests/rkif-script.test.sh checks both against a fake `dotnet`, in seconds.
/// </summary>
public sealed class RkifScriptTests
{
    [Fact]
    public async Task TheScriptRebuildsOnlyWhenAnInputChangedAndTiersOnlyShortCommands()
    {
        // tests/RecurrentKif.Integration.Tests/bin/<Configuration>/net10.0/linux-x64/ → the repository root
        string root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../.."));
        var info = new ProcessStartInfo("bash", [Path.Combine(root, "tests", "rkif-script.test.sh")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment.Remove("DOTNET_TieredCompilation");
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, await stdout + await stderr);
    }
}

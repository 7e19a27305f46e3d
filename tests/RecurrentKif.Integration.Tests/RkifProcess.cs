using System.Diagnostics;
using System.Text;

namespace RecurrentKif.Integration.Tests;

/// <summary>Starts the real `rkif` launcher (the build next to this test project's configuration) as a child process.</summary>
public sealed class RkifProcess
{
    public static string LauncherDll { get; } = FindLauncher();

    public sealed record Result(int ExitCode, string Output);

    public static Result Run(string arguments, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null, TimeSpan? killAfter = null)
    {
        var info = new ProcessStartInfo("dotnet", $"\"{LauncherDll}\" {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment.Remove("RKIF_FAULT");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        using var process = Process.Start(info)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (killAfter is { } delay && !process.WaitForExit(delay))
        {
            process.Kill(entireProcessTree: true); // SIGKILL: no shutdown hooks run
            process.WaitForExit();
            return new Result(137, output.ToString());
        }
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"rkif {arguments} did not finish in time:\n{output}");
        }
        process.WaitForExit();
        return new Result(process.ExitCode, output.ToString());
    }

    private static string FindLauncher()
    {
        // tests/RecurrentKif.Integration.Tests/bin/<Configuration>/net10.0/linux-x64/ → src/Launcher/bin/<same>/rkif.dll
        var testBin = new DirectoryInfo(AppContext.BaseDirectory);
        string relative = Path.GetRelativePath(Path.Combine(testBin.FullName, "../../../.."), testBin.FullName);
        string root = Path.GetFullPath(Path.Combine(testBin.FullName, "../../../../../.."));
        string dll = Path.Combine(root, "src", "Launcher", relative, "rkif.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"the rkif launcher was not built at {dll}");
    }
}

using System.Diagnostics;
using System.Text;

namespace RecurrentKif.Integration.Tests;

/// <summary>One `rkif node` child process, left running until killed (SIGKILL, as a node failure) or disposed.</summary>
public sealed class NodeProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    public string Name { get; }

    public NodeProcess(string name, string arguments, IReadOnlyDictionary<string, string> environment)
    {
        Name = name;
        var info = new ProcessStartInfo("dotnet", $"\"{RkifProcess.LauncherDll}\" {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment.Remove("RKIF_FAULT");
        // Every test cluster speaks Akka.Remote over mutual TLS (docs/security.md); a caller may override the settings.
        foreach (var (key, value) in DevCertificates.Environment(DevCertificates.Node)) info.Environment[key] = value;
        foreach (var (key, value) in environment) info.Environment[key] = value;
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output { get { lock (_output) return _output.ToString(); } }

    public bool HasExited => _process.HasExited;

    /// <summary>SIGKILL: the node dies without leaving the cluster, as on a power cut.</summary>
    public void Kill()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}

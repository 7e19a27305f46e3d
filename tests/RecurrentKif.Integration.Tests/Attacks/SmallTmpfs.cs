using System.Diagnostics;

namespace RecurrentKif.Integration.Tests.Attacks;

/// <summary>A tmpfs of a given size mounted over a folder for one test (a disk that can be filled); unmounted on dispose.</summary>
public sealed class SmallTmpfs : IDisposable
{
    private readonly string _folder;

    private SmallTmpfs(string folder) => _folder = folder;

    /// <summary>Null where mounting is not allowed (not root).</summary>
    public static SmallTmpfs? TryMount(string folder, string size) =>
        Execute("mount", $"-t tmpfs -o size={size} tmpfs \"{folder}\"") ? new SmallTmpfs(folder) : null;

    public void Dispose() => Execute("umount", $"-l \"{_folder}\"");

    private static bool Execute(string tool, string arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(tool, arguments) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false })!;
            if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                process.Kill();
                return false;
            }
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception) { return false; }   // the tool is not there
    }
}

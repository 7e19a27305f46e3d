using RecurrentKif.Actors.Gateway;
using RecurrentKif.Gpu.Data;

namespace RecurrentKif.Actors.Tests.Gateway;

/// <summary>
/// A temporary data root (deleted on dispose) and a folder "outside" beside it, with helpers that write tiny task
/// files in the long-sequence format.
/// </summary>
public sealed class TaskFolder : IDisposable
{
    public const string Token = "test-token-0123456789abcdef";

    public TaskFolder()
    {
        Base = Path.Combine(Path.GetTempPath(), "rkif-gateway-" + Guid.NewGuid().ToString("N"));
        DataRoot = Path.Combine(Base, "data");
        Outside = Path.Combine(Base, "outside");
        Directory.CreateDirectory(DataRoot);
        Directory.CreateDirectory(Outside);
    }

    public string Base { get; }
    public string DataRoot { get; }

    /// <summary>A sibling of the data root: a submission must never reach it.</summary>
    public string Outside { get; }

    public GatewaySettings Settings(TimeSpan? askTimeout = null) => new()
    {
        Token = Token,
        DataRoot = DataRoot,
        AskTimeout = askTimeout ?? TimeSpan.FromSeconds(20),
    };

    /// <summary>Writes <c>&lt;folder&gt;/{splits}/&lt;name&gt;.json</c> with <paramref name="records"/> records each; returns the folder.</summary>
    public static string WriteTask(string folder, string name, int records = 3, params string[] splits)
    {
        foreach (string split in splits.Length > 0 ? splits : ["train", "dev", "test"])
            TaskFileWriter.Write(Path.Combine(folder, split, name + ".json"), Examples(name, records));
        return folder;
    }

    public static IReadOnlyList<TaskExample> Examples(string name, int count) =>
        Enumerable.Range(0, count).Select(i => new TaskExample($"{name}_{i}", "Is the number even?", i.ToString(), i % 2 == 0 ? "yes" : "no")).ToArray();

    /// <summary>A named pipe at <paramref name="path"/> (mkfifo): opening it for reading blocks until a writer comes.</summary>
    public static void MakeFifo(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var mkfifo = System.Diagnostics.Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        if (mkfifo.ExitCode != 0) throw new IOException($"mkfifo {path} failed");
    }

    public void Dispose()
    {
        try { Directory.Delete(Base, recursive: true); }
        catch (IOException) { /* a test's leftovers in /tmp are harmless */ }
    }
}

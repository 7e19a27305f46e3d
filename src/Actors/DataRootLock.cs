using System.Text;
using RecurrentKif.Gpu.Checkpoints;

namespace RecurrentKif.Actors;

/// <summary>
/// One writer per data root (docs/architecture.md §5: the journal and the checkpoints under a data root belong to one
/// run process). An exclusive OS lock on <c>&lt;data root&gt;/rkif.lock</c>, held for as long as this object lives; the
/// kernel releases it when the process ends, however it ends, so a killed run never leaves a stale lock. Who holds it
/// (pid, host, since when) is written beside it, in <c>rkif.lock.owner</c>, for the message a second process gets.
/// </summary>
public sealed class DataRootLock : IDisposable
{
    public const string FileName = "rkif.lock";
    public const string OwnerFileName = "rkif.lock.owner";

    private readonly FileStream _lock;

    private DataRootLock(FileStream held, string root) => (_lock, Root) = (held, root);

    /// <summary>The absolute data root this process writes.</summary>
    public string Root { get; }

    /// <exception cref="DataRootInUseException">Another process holds the data root; the message says which.</exception>
    public static DataRootLock Acquire(string dataRoot)
    {
        string root = Path.GetFullPath(dataRoot);
        Directory.CreateDirectory(root);
        string path = Path.Combine(root, FileName);
        var held = FileLock.TryOpenLocked(path) ?? throw new DataRootInUseException(root, Owner(root));
        try
        {
            string owner = $"pid {Environment.ProcessId} on {Environment.MachineName} since {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC";
            // Only the lock holder writes this, so a plain overwrite cannot race another writer.
            File.WriteAllText(Path.Combine(root, OwnerFileName), owner + Environment.NewLine, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The lock is what counts; the owner line only makes the other process's message clearer.
            Serilog.Log.Warning("Cannot record the owner of the data root lock in {Root}: {Message}", root, e.Message);
        }
        return new DataRootLock(held, root);
    }

    private static string Owner(string root)
    {
        try { return File.ReadAllText(Path.Combine(root, OwnerFileName)).Trim(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return "a process that did not say which"; }
    }

    public void Dispose() => _lock.Dispose();
}

/// <summary>A second writer found the data root locked (exit 2: nothing was read or written).</summary>
public sealed class DataRootInUseException(string root, string owner) : InvalidOperationException(
    $"the data root '{root}' is in use by another rkif process ({owner}): one data root has one writer. " +
    "Wait for that run to end (or stop it), or give this run another rkif.data-root")
{
    public string Root { get; } = root;
    public string Owner { get; } = owner;
}

using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace RecurrentKif.Gpu.Checkpoints;

/// <summary>
/// An exclusive advisory lock (flock) on an open file, taken without waiting. The kernel drops it when the holder's
/// file is closed or its process dies, however it dies, so a lock left by a killed process never needs cleaning up.
/// .NET takes the same lock for <see cref="FileShare.None"/> unless DOTNET_SYSTEM_IO_DISABLEFILELOCKING is set; this
/// takes it explicitly, so a single writer does not depend on that setting.
/// </summary>
public static class FileLock
{
    private const int LockExclusive = 2, NoWait = 4;   // LOCK_EX, LOCK_NB

    /// <summary>True when this handle now holds the lock; false when another open file holds it.</summary>
    public static bool TryLockExclusive(SafeFileHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        if (OperatingSystem.IsWindows()) return true;   // FileShare.None is a mandatory lock there already
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return Flock((int)handle.DangerousGetHandle(), LockExclusive | NoWait) == 0;
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    /// <summary>
    /// Opens <paramref name="path"/> (creating it) and locks it; null when another process (or another open file of this
    /// one) holds the lock.
    /// </summary>
    public static FileStream? TryOpenLocked(string path, FileMode mode = FileMode.OpenOrCreate)
    {
        FileStream file;
        try { file = new FileStream(path, mode, FileAccess.ReadWrite, FileShare.None); }
        catch (IOException) when (File.Exists(path)) { return null; }   // .NET's own lock for FileShare.None refused it
        if (TryLockExclusive(file.SafeFileHandle)) return file;
        file.Dispose();
        return null;
    }

    [DllImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static extern int Flock(int descriptor, int operation);
}

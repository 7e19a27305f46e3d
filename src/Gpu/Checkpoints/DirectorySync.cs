using System.Runtime.InteropServices;

namespace RecurrentKif.Gpu.Checkpoints;

/// <summary>
/// fsync of a folder, so that a rename into it survives a power loss (POSIX makes a new directory entry durable only
/// when the directory itself is synced). .NET has no API for it: a FileStream cannot open a directory, so this calls
/// open(2) and fsync(2) directly. On Windows, where NTFS journals the rename, it does nothing.
/// </summary>
internal static class DirectorySync
{
    private const int ReadOnlyDirectory = 0x10000; // O_RDONLY | O_DIRECTORY on Linux (x64 and arm64)

    public static void Flush(string folder)
    {
        if (!OperatingSystem.IsLinux()) return;
        int descriptor = Open(folder, ReadOnlyDirectory);
        if (descriptor < 0) throw new IOException($"cannot open folder '{folder}' to sync it (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            if (Fsync(descriptor) != 0) throw new IOException($"fsync of folder '{folder}' failed (errno {Marshal.GetLastPInvokeError()})");
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    // Classic DllImport: strings marshal as UTF-8 on Unix, and no unsafe code is needed in this assembly.
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int descriptor);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int descriptor);
}

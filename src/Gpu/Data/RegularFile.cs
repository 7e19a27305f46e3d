using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace RecurrentKif.Gpu.Data;

/// <summary>
/// Reads a file's bytes through one open handle, only when that handle is a plain file and only up to a limit
/// checked while reading. A FIFO, device or socket is refused without blocking: the file is opened non-blocking
/// and its type is taken from the opened handle (statx), never from a separate look at the path, so swapping the
/// file between a check and the read changes nothing. With <c>noFollow</c> a symbolic link as the last component
/// is refused too, and the handle's real path must equal the path asked for (a folder swapped for a link along the
/// way is refused).
/// </summary>
public static class RegularFile
{
    // Linux's flags (identical on x64 and arm64).
    private const int ReadOnly = 0, NonBlocking = 0x800, NoFollow = 0x20000, CloseOnExec = 0x80000;
    private const int AtEmptyPath = 0x1000, StatxType = 0x1;
    private const int FileTypeMask = 0xF000, RegularType = 0x8000;
    private const int Eloop = 40, Enoent = 2, Enotdir = 20;
    // struct statx: stx_mode is a u16 at byte 28; the whole struct is 256 bytes on every Linux architecture.
    private const int StatxSize = 256, StatxModeOffset = 28;

    /// <summary>The file's bytes. Throws <see cref="IOException"/> (or <see cref="FileNotFoundException"/>) naming the path and what is wrong.</summary>
    public static byte[] ReadAllBytes(string path, long maxBytes, bool noFollow = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        using SafeFileHandle handle = Open(path, noFollow);
        using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[1 << 16];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            // The limit holds for what is read, not for what a stat said a moment earlier: a file that grows is cut off.
            if (buffer.Length + read > maxBytes)
                throw new IOException($"'{path}' is over the limit of {maxBytes} bytes (reading stopped there)");
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static SafeFileHandle Open(string path, bool noFollow)
    {
        if (!OperatingSystem.IsLinux())
        {
            // Elsewhere the platform's own open is used; the file-type check below is Linux's.
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        int flags = ReadOnly | NonBlocking | CloseOnExec | (noFollow ? NoFollow : 0);
        int descriptor = OpenFile(path, flags);
        if (descriptor < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw errno switch
            {
                Enoent or Enotdir => new FileNotFoundException($"'{path}' does not exist", path),
                Eloop when noFollow => new IOException($"'{path}' is a symbolic link; a task file must be a plain file"),
                _ => new IOException($"cannot open '{path}' (errno {errno})"),
            };
        }
        var handle = new SafeFileHandle(descriptor, ownsHandle: true);
        try
        {
            int mode = ModeOf(descriptor, path);
            if ((mode & FileTypeMask) != RegularType)
                throw new IOException($"'{path}' is {TypeName(mode)}, not a plain file");
            if (noFollow && RealPath(descriptor) is { } real && real != Path.GetFullPath(path))
                throw new IOException($"'{path}' was reached through a symbolic link (it is really '{real}'); a task file must be a plain file at its own path");
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static int ModeOf(int descriptor, string path)
    {
        byte[] statx = new byte[StatxSize];
        if (Statx(descriptor, "", AtEmptyPath, StatxType, statx) != 0)
            throw new IOException($"cannot read the file type of '{path}' (errno {Marshal.GetLastPInvokeError()})");
        return BitConverter.ToUInt16(statx, StatxModeOffset);
    }

    // The kernel's name for the open file: where it really is, whatever path led to it.
    private static string? RealPath(int descriptor)
    {
        try { return new FileInfo($"/proc/self/fd/{descriptor}").LinkTarget; }
        catch (IOException) { return null; }
    }

    private static string TypeName(int mode) => (mode & FileTypeMask) switch
    {
        0x1000 => "a FIFO (named pipe)",
        0x2000 => "a character device",
        0x4000 => "a folder",
        0x6000 => "a block device",
        0xA000 => "a symbolic link",
        0xC000 => "a socket",
        _ => $"of an unknown type (mode {mode:x})",
    };

    // Classic DllImport as in Gpu/Checkpoints/DirectorySync: UTF-8 strings on Unix, no unsafe code.
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int OpenFile([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);
}

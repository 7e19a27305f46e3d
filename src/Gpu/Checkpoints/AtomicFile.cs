using System.Security.Cryptography;

namespace RecurrentKif.Gpu.Checkpoints;

/// <summary>
/// Crash-safe file writes: the bytes go to a temporary file in the same folder, are flushed to disk (fsync), and the
/// file is renamed over the target, so a reader sees either the old file or the complete new one, never a torn one.
/// The SHA-256 returned is of the complete file; record it only after this returns.
/// </summary>
public static class AtomicFile
{
    public static string Write(string path, Action<Stream> write)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        // Unique per write, not per process: in containers every process may be PID 1, and two hosts may share the folder.
        string temp = Path.Combine(folder, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        string sha256;
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            using (var stream = new HashingWriteStream(file))
            {
                // Locked while written: CleanStaleTemporaries deletes only temporaries nobody holds.
                FileLock.TryLockExclusive(file.SafeFileHandle);
                if (FaultInjection.IsArmed("checkpoint-write"))
                {
                    // Crash test: make half the bytes reach the disk, then die mid-write.
                    using var buffer = new MemoryStream();
                    write(buffer);
                    stream.Write(buffer.GetBuffer(), 0, (int)(buffer.Length / 2));
                    file.Flush(flushToDisk: true);
                    FaultInjection.At("checkpoint-write");
                    stream.Write(buffer.GetBuffer(), (int)(buffer.Length / 2), (int)(buffer.Length - buffer.Length / 2));
                }
                else write(stream);
                file.Flush(flushToDisk: true);
                sha256 = stream.Sha256;   // hashed on the way out: no second read of the file
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            // A failed write (disk full, a throwing producer) leaves the old file as it was and no temporary behind.
            TryDelete(temp);
            throw;
        }
        // The rename is durable only once the folder's entry is on disk: without this a power loss after the journal
        // records the file can bring back the old one (or none).
        DirectorySync.Flush(folder);
        return sha256;
    }

    private static void TryDelete(string file)
    {
        try { File.Delete(file); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    public static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream)).ToLowerInvariant();
    }

    /// <summary>The SHA-256 of bytes already read, in the same lower-case hex as <see cref="Write"/> returns.</summary>
    public static string Sha256Of(ReadOnlySpan<byte> content) => Convert.ToHexString(SHA256.HashData(content)).ToLowerInvariant();

    /// <summary>
    /// How long a temporary must have been left alone before it counts as abandoned: its writer drops the lock when it
    /// closes the file, a moment before the rename, and that moment must not be mistaken for a dead writer.
    /// </summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Removes temporary files a killed writer left behind, and only those: a temporary that a live writer (this
    /// process or another, e.g. a coordinator on another node sharing the folder) holds locked, or that was written
    /// to within <see cref="StaleAfter"/>, is left alone. Returns how many were removed.
    /// </summary>
    public static int CleanStaleTemporaries(string folder)
    {
        if (!Directory.Exists(folder)) return 0;
        int removed = 0;
        foreach (var file in Directory.EnumerateFiles(folder, ".*.tmp"))
        {
            if (DateTime.UtcNow - File.GetLastWriteTimeUtc(file) < StaleAfter) continue;
            FileStream? held;
            try { held = FileLock.TryOpenLocked(file, FileMode.Open); }
            catch (FileNotFoundException) { continue; }   // renamed or removed by its writer meanwhile
            if (held is null) continue;   // a live writer holds it
            using var _ = held;
            File.Delete(file);            // deleted while we hold the lock: no writer can have taken it in between
            removed++;
        }
        return removed;
    }
}

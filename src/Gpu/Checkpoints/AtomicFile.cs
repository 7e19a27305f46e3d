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

    /// <summary>Removes temporary files a killed writer left behind.</summary>
    public static void CleanStaleTemporaries(string folder)
    {
        if (!Directory.Exists(folder)) return;
        foreach (var file in Directory.EnumerateFiles(folder, ".*.tmp")) File.Delete(file);
    }
}

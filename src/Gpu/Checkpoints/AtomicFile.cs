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
        string temp = Path.Combine(folder, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        string sha256;
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
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
        return sha256;
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

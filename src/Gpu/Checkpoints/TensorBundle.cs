using RecurrentKif.Gpu.Models;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Checkpoints;

/// <summary>
/// A checkpoint file: named tensors plus one JSON document, stored as safetensors (the JSON in the metadata), so the
/// file is inspectable with ordinary tools. Written atomically; read back only when its SHA-256 matches the journal.
/// </summary>
public static class TensorBundle
{
    private const string StateKey = "rkif.state";

    /// <param name="withBackup">Also write a second copy (<see cref="BackupOf"/>, same bytes, same SHA-256), which
    /// <see cref="Open"/> uses when the first is missing or damaged: for files that have no older commit to fall back to
    /// (the initial and task-end adapters).</param>
    public static CheckpointReference Save(string path, IReadOnlyDictionary<string, Tensor> tensors, string stateJson, bool withBackup = false)
    {
        var metadata = new Dictionary<string, string> { ["format"] = "rkif-checkpoint", [StateKey] = stateJson };
        string sha = AtomicFile.Write(path, stream => SafeTensorsFile.Save(stream, tensors, metadata));
        if (withBackup)
        {
            string backupSha = AtomicFile.Write(BackupOf(path), stream => SafeTensorsFile.Save(stream, tensors, metadata));
            if (backupSha != sha) throw new CheckpointException($"the backup of {path} came out different from it (SHA-256 {backupSha}, not {sha})");
        }
        return new CheckpointReference(Path.GetFullPath(path), sha);
    }

    /// <summary>Where the second copy of a checkpoint saved with a backup is.</summary>
    public static string BackupOf(string path) => path + ".backup";

    /// <summary>
    /// Opens a checkpoint after checking it hashes to what was recorded. The file is read once: the hash is taken of
    /// those bytes and the tensors are parsed from them, so a file replaced after the check is never loaded. When the
    /// file is missing or damaged and a backup exists, the backup is checked and used instead, with a warning.
    /// </summary>
    public static (SafeTensorsFile File, string StateJson) Open(CheckpointReference reference)
    {
        try { return OpenOne(reference.Path, reference.Sha256); }
        catch (CheckpointException e) when (File.Exists(BackupOf(reference.Path)))
        {
            var opened = OpenOne(BackupOf(reference.Path), reference.Sha256);
            Serilog.Log.Warning("{Reason}; using its backup {Backup}, which matches the recorded SHA-256", e.Message, BackupOf(reference.Path));
            return opened;
        }
    }

    private static (SafeTensorsFile File, string StateJson) OpenOne(string path, string sha256)
    {
        byte[] content;
        try { content = File.ReadAllBytes(path); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CheckpointException($"checkpoint {path} is missing", e);
        }
        string actual = AtomicFile.Sha256Of(content);
        if (!string.Equals(actual, sha256, StringComparison.OrdinalIgnoreCase))
            throw new CheckpointException($"checkpoint {path} is corrupt: SHA-256 {actual} does not match the recorded {sha256}");
        var reference = new CheckpointReference(path, sha256);
        try
        {
            var file = SafeTensorsFile.FromBytes(reference.Path, content);
            return file.Metadata.TryGetValue(StateKey, out var json)
                ? (file, json)
                : throw new CheckpointException($"checkpoint {reference.Path} has no RecurrentKif state");
        }
        catch (ModelLoadException e)
        {
            throw new CheckpointException($"checkpoint {reference.Path} cannot be read: {e.Message}", e);
        }
    }

    /// <summary>Bytes (an optimizer state, an RNG state) as a uint8 tensor, so they travel in the same file.</summary>
    public static Tensor FromBytes(byte[] bytes) => tensor(bytes, dtype: ScalarType.Byte);

    public static byte[] ToBytes(Tensor tensor) => tensor.bytes.ToArray();
}

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

    public static CheckpointReference Save(string path, IReadOnlyDictionary<string, Tensor> tensors, string stateJson)
    {
        string sha = AtomicFile.Write(path, stream =>
            SafeTensorsFile.Save(stream, tensors, new Dictionary<string, string> { ["format"] = "rkif-checkpoint", [StateKey] = stateJson }));
        return new CheckpointReference(Path.GetFullPath(path), sha);
    }

    /// <summary>Opens a checkpoint after checking it exists and hashes to what was recorded.</summary>
    public static (SafeTensorsFile File, string StateJson) Open(CheckpointReference reference)
    {
        if (!File.Exists(reference.Path)) throw new CheckpointException($"checkpoint {reference.Path} is missing");
        string actual = AtomicFile.Sha256Of(reference.Path);
        if (!string.Equals(actual, reference.Sha256, StringComparison.OrdinalIgnoreCase))
            throw new CheckpointException($"checkpoint {reference.Path} is corrupt: SHA-256 {actual} does not match the recorded {reference.Sha256}");
        try
        {
            var file = SafeTensorsFile.Open(reference.Path);
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

using System.Text.Json;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Models;

/// <summary>
/// The weights of a Hugging Face folder: a single model.safetensors, or shards listed by
/// model.safetensors.index.json ("weight_map": tensor name → shard file).
/// </summary>
public sealed class SafeTensorsFolderWeights : IWeightSource
{
    private readonly Dictionary<string, SafeTensorsFile> _fileOfTensor;

    public string Description { get; }
    public IReadOnlyCollection<string> Names => _fileOfTensor.Keys;

    private SafeTensorsFolderWeights(string description, Dictionary<string, SafeTensorsFile> fileOfTensor)
    {
        Description = description;
        _fileOfTensor = fileOfTensor;
    }

    public static SafeTensorsFolderWeights Open(string folder)
    {
        string single = Path.Combine(folder, "model.safetensors");
        string index = Path.Combine(folder, "model.safetensors.index.json");
        var map = new Dictionary<string, SafeTensorsFile>(StringComparer.Ordinal);
        if (File.Exists(single))
        {
            var file = SafeTensorsFile.Open(single);
            foreach (var name in file.Tensors.Keys) map[name] = file;
            return new SafeTensorsFolderWeights(single, map);
        }
        if (!File.Exists(index))
        {
            string hint = Directory.Exists(folder) && Directory.EnumerateFiles(folder, "*.bin").Any()
                ? " (found .bin files: PyTorch pickles are not supported; convert them to safetensors)"
                : "";
            throw new ModelLoadException($"{folder}: no model.safetensors or model.safetensors.index.json{hint}");
        }
        Dictionary<string, string> weightMap;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(index));
            weightMap = doc.RootElement.GetProperty("weight_map").EnumerateObject()
                .ToDictionary(p => p.Name, p => p.Value.GetString() ?? throw new JsonException($"null shard for {p.Name}"), StringComparer.Ordinal);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new ModelLoadException($"{index}: not a valid safetensors index ({e.Message})");
        }
        var shards = new Dictionary<string, SafeTensorsFile>(StringComparer.Ordinal);
        foreach (var (name, shardName) in weightMap)
        {
            if (!shards.TryGetValue(shardName, out var shard))
                shards[shardName] = shard = SafeTensorsFile.Open(Path.Combine(folder, shardName));
            if (!shard.Tensors.ContainsKey(name))
                throw new ModelLoadException($"{index}: maps '{name}' to {shardName}, which does not contain it");
            map[name] = shard;
        }
        return new SafeTensorsFolderWeights($"{index} ({shards.Count} shards)", map);
    }

    /// <summary>How the tensor is stored (dtype, shape), without reading it.</summary>
    public SafeTensorInfo InfoOf(string name) =>
        _fileOfTensor.TryGetValue(name, out var file) ? file.Tensors[name] : throw new ModelLoadException($"{Description}: missing tensor '{name}'");

    public Tensor Load(string name, ScalarType dtype)
    {
        if (!_fileOfTensor.TryGetValue(name, out var file)) throw new ModelLoadException($"{Description}: missing tensor '{name}'");
        return file.Load(name, dtype);
    }
}

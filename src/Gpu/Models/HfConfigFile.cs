using System.Text.Json;
using System.Text.Json.Nodes;

namespace RecurrentKif.Gpu.Models;

/// <summary>A Hugging Face model folder's config.json, read with the errors every loader gives for a bad folder.</summary>
public static class HfConfigFile
{
    /// <summary>The parsed config.json of <paramref name="folder"/> and its path.</summary>
    public static (JsonObject Json, string Path) ReadFolder(string folder)
    {
        if (!Directory.Exists(folder)) throw new ModelLoadException($"model folder not found: {folder}");
        string configPath = System.IO.Path.Combine(folder, "config.json");
        if (!File.Exists(configPath))
            throw new ModelLoadException($"{folder} is not a Hugging Face model folder: config.json is missing");
        return (Read(configPath), configPath);
    }

    /// <summary>
    /// The JSON object in <paramref name="configPath"/> (config.json, tokenizer_config.json, adapter_config.json); a
    /// ModelLoadException names the file when it is not valid JSON or not an object.
    /// </summary>
    public static JsonObject Read(string configPath)
    {
        JsonNode? node;
        try { node = JsonNode.Parse(File.ReadAllText(configPath)); }
        catch (JsonException e) { throw new ModelLoadException($"{configPath}: not valid JSON ({e.Message})", e); }
        return node as JsonObject ?? throw new ModelLoadException($"{configPath}: not a JSON object");
    }
}

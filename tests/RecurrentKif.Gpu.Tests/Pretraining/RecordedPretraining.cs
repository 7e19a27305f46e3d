using System.Text.Json;
using RecurrentKif.Gpu.Pretraining;

namespace RecurrentKif.Gpu.Tests.Pretraining;

/// <summary>A model folder's provenance.json read back: the settings it was pretrained with and every step's loss.</summary>
internal sealed record RecordedPretraining(PretrainSettings Settings, double[] Losses, JsonElement Root)
{
    /// <summary>The recorded run, set to stop after <paramref name="stopAfter"/> steps (schedule unchanged) for a replay.</summary>
    public static RecordedPretraining Read(string folder, int stopAfter)
    {
        var root = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "provenance.json"))).RootElement;
        var settings = new PretrainSettings
        {
            Steps = root.GetProperty("Steps").GetInt32(),
            BatchSize = root.GetProperty("BatchSize").GetInt32(),
            BlockLength = root.GetProperty("BlockLength").GetInt32(),
            LearningRate = root.GetProperty("LearningRate").GetDouble(),
            WarmupSteps = root.GetProperty("WarmupSteps").GetInt32(),
            Seed = root.GetProperty("Seed").GetInt64(),
            StopAfter = stopAfter,
        };
        return new RecordedPretraining(settings, [.. root.GetProperty("losses").EnumerateArray().Select(e => e.GetDouble())], root);
    }
}

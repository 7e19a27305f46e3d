using RecurrentKif.Gpu.Models;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Tests.Models;

public sealed class ModelFolderErrorTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("rkif-badmodel").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void MissingFolderIsNamed()
    {
        string missing = Path.Combine(_folder, "nope");
        var e = Assert.Throws<ModelLoadException>(() => LlamaLoader.LoadFolder(missing, ScalarType.Float32, CPU));
        Assert.Contains(missing, e.Message);
    }

    [Fact]
    public void FolderWithoutConfigSaysSo()
    {
        var e = Assert.Throws<ModelLoadException>(() => LlamaLoader.LoadFolder(_folder, ScalarType.Float32, CPU));
        Assert.Contains("config.json", e.Message);
        Assert.Contains(_folder, e.Message);
    }

    [Fact]
    public void UnknownModelTypeIsRefusedByName()
    {
        File.WriteAllText(Path.Combine(_folder, "config.json"), """{"model_type": "gpt2", "n_embd": 64}""");
        var e = Assert.Throws<ModelLoadException>(() => LlamaLoader.LoadFolder(_folder, ScalarType.Float32, CPU));
        Assert.Contains("gpt2", e.Message);
    }

    [Fact]
    public void WeightsThatDoNotMatchTheConfigAreReported()
    {
        var config = LlamaConfig.Load(Path.Combine(SharedFixtures.Stories260k, "config.json")) with { NumHiddenLayers = 6 };
        config.Save(Path.Combine(_folder, "config.json"));
        File.Copy(Path.Combine(SharedFixtures.Stories260k, "model.safetensors"), Path.Combine(_folder, "model.safetensors"));
        var e = Assert.Throws<ModelLoadException>(() => LlamaLoader.LoadFolder(_folder, ScalarType.Float32, CPU));
        Assert.Contains("model.layers.5", e.Message);
    }

    [Fact]
    public void TruncatedSafetensorsIsReportedAsCorrupt()
    {
        File.Copy(Path.Combine(SharedFixtures.Stories260k, "config.json"), Path.Combine(_folder, "config.json"));
        var bytes = File.ReadAllBytes(Path.Combine(SharedFixtures.Stories260k, "model.safetensors"));
        File.WriteAllBytes(Path.Combine(_folder, "model.safetensors"), bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<ModelLoadException>(() => LlamaLoader.LoadFolder(_folder, ScalarType.Float32, CPU));
        Assert.Contains("model.safetensors", e.Message);
    }
}

using RecurrentKif.Gpu.Models;
using RecurrentKif.Gpu.Tests.Data;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Tests.Models;

/// <summary>A Qwen2 folder as Hugging Face writes it loads: biases on q, k and v, none on o_proj.</summary>
public sealed class Qwen2FolderTests
{
    [Fact]
    public void Qwen2_folder_loads_with_qkv_biases_and_no_output_projection_bias()
    {
        using var folder = new TempDirectory();
        TinyQwen2.Write(folder.Path, vocabSize: 300, bosTokenId: 290, eosTokenId: 291);
        using var model = LlamaLoader.LoadFolder(folder.Path, ScalarType.Float32, CPU);

        var names = model.named_parameters().Select(p => p.name).Where(n => !n.Contains(".lora_", StringComparison.Ordinal)).ToHashSet();
        Assert.Equal(TinyQwen2.ExpectedTensors(300).Keys.OrderBy(n => n, StringComparer.Ordinal), names.OrderBy(n => n, StringComparer.Ordinal));
        Assert.Equal("qwen2", model.Config.ModelType);
        Assert.True(model.Config.AttentionBias);
        Assert.False(model.Config.OutputProjectionBias);

        // The biases are the file's, not zeros.
        using var stored = SafeTensorsFolderWeights.Open(folder.Path).Load("model.layers.1.self_attn.k_proj.bias", ScalarType.Float32);
        var loaded = model.named_parameters().Single(p => p.name == "model.layers.1.self_attn.k_proj.bias").parameter;
        Assert.True(stored.abs().sum().item<float>() > 0);
        Assert.True(loaded.eq(stored).all().item<bool>());
    }

    [Fact]
    public void Saved_qwen2_config_stays_qwen2()
    {
        using var folder = new TempDirectory();
        TinyQwen2.Write(folder.Path, vocabSize: 300, bosTokenId: 290, eosTokenId: 291);
        var config = LlamaConfig.Load(Path.Combine(folder.Path, "config.json"));
        var json = config.ToJson();
        Assert.Equal("qwen2", json["model_type"]!.GetValue<string>());
        Assert.Equal("Qwen2ForCausalLM", json["architectures"]![0]!.GetValue<string>());
        Assert.Equal(config, LlamaConfig.FromJson(json, "round trip"));
    }
}

using RecurrentKif.Gpu.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Tests.Models;

/// <summary>
/// A tiny random LLaMA (vocabulary 48, hidden 16, 2 layers, 4 heads and 2 key/value heads of 4, SwiGLU 32, untied
/// head) written as a Hugging Face folder, with stand-in tokenizer files, for tests that need a model folder of
/// their own. The Lora/Fixtures/peft-golden adapter is shaped for it.
/// </summary>
public static class TinyLlama
{
    public static LlamaConfig Config { get; } = new()
    {
        VocabSize = 48, HiddenSize = 16, IntermediateSize = 32, NumHiddenLayers = 2,
        NumAttentionHeads = 4, NumKeyValueHeads = 2, HeadDim = 4, TieWordEmbeddings = false,
    };

    /// <summary>Files beside the weights that a merged folder must carry over unchanged (their content is arbitrary here).</summary>
    public static IReadOnlyDictionary<string, string> TokenizerFiles { get; } = new Dictionary<string, string>
    {
        ["tokenizer.json"] = """{"version":"1.0","model":{"type":"BPE"}}""",
        ["tokenizer_config.json"] = """{"bos_token":"<s>"}""",
        ["special_tokens_map.json"] = """{"eos_token":"</s>"}""",
    };

    /// <summary>Writes the folder (weights stored as <paramref name="stored"/>) and returns it.</summary>
    public static string Write(string folder, int seed = 3, ScalarType stored = ScalarType.Float32, LlamaConfig? config = null)
    {
        manual_seed(seed);
        using var model = new LlamaForCausalLM(config ?? Config, stored, CPU);
        LlamaInitializer.InitializeRandom(model, std: 0.2);
        LlamaLoader.SaveFolder(model, folder);
        foreach (var (name, content) in TokenizerFiles) File.WriteAllText(Path.Combine(folder, name), content);
        // Not a tokenizer file: a merge must leave it behind.
        File.WriteAllText(Path.Combine(folder, "provenance.json"), "{}");
        return folder;
    }

    public static Tensor SampleIds(int batch = 2, int length = 12, int seed = 9)
    {
        using var generator = new Generator((ulong)seed);
        return randint(0, Config.VocabSize, [batch, length], dtype: ScalarType.Int64, generator: generator);
    }
}

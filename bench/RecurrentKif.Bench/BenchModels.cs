using RecurrentKif.Gpu.BuiltIn;
using RecurrentKif.Gpu.Models;
using RecurrentKif.Gpu.Models.T5;
using RecurrentKif.Gpu.Runtime;
using static TorchSharp.torch;

namespace RecurrentKif.Bench;

/// <summary>
/// The three model sizes every section measures, all byte-level (the built-in tokenizer) so that the same folders
/// can train on the built-in tasks and generate: the built-in architecture (≈0.76 M parameters) and LLaMA configs
/// of ≈10 M and ≈50 M parameters. Weights are random (seeded): speed does not depend on what the weights know, and
/// a fresh clone needs neither downloads nor the built-in model's minute of pretraining.
/// </summary>
public static class BenchModels
{
    // The random benchmark models read text character by character: a tokenizer with no words (specials, bytes, ASCII).
    private static readonly int CharacterVocabularySize = WordTokenizerFile.Pieces([]).Count;

    public static readonly IReadOnlyDictionary<string, LlamaConfig> Configs = new Dictionary<string, LlamaConfig>
    {
        ["built-in"] = BuiltInModel.Config,
        ["llama-10M"] = new()
        {
            VocabSize = CharacterVocabularySize, HiddenSize = 384, IntermediateSize = 1024, NumHiddenLayers = 6,
            NumAttentionHeads = 6, NumKeyValueHeads = 2, HeadDim = 64, MaxPositionEmbeddings = 1024, RmsNormEps = 1e-5,
            RopeTheta = 10000.0, TieWordEmbeddings = true,
        },
        ["llama-50M"] = new()
        {
            VocabSize = CharacterVocabularySize, HiddenSize = 768, IntermediateSize = 2048, NumHiddenLayers = 8,
            NumAttentionHeads = 12, NumKeyValueHeads = 4, HeadDim = 64, MaxPositionEmbeddings = 1024, RmsNormEps = 1e-5,
            RopeTheta = 10000.0, TieWordEmbeddings = true,
        },
    };

    /// <summary>
    /// An encoder-decoder for the training-step section: T5-v1.1 shapes (gated GELU, untied head) at ≈ 24 M
    /// parameters, with T5's 32 128-entry vocabulary so the head costs what it costs in the real models.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, T5Config> T5Configs = new Dictionary<string, T5Config>
    {
        ["t5-24M"] = new()
        {
            VocabSize = 32128, DModel = 256, DKv = 32, DFf = 704, NumLayers = 4, NumDecoderLayers = 4, NumHeads = 8,
            FeedForwardProj = "gated-gelu", TieWordEmbeddings = false, DropoutRate = 0.0,
        },
    };

    public static bool IsT5(string name) => T5Configs.ContainsKey(name);

    /// <summary>A seeded random T5 of <paramref name="name"/> (N(0, 0.05) weights, built in memory: no folder needed to time a step).</summary>
    public static T5ForConditionalGeneration BuildT5(string name, ScalarType dtype, Device device)
    {
        manual_seed(1234);
        var model = new T5ForConditionalGeneration(T5Configs[name], dtype, device);
        using (no_grad())
            foreach (var p in model.parameters()) p.normal_(0, 0.05);
        return model;
    }

    /// <summary>The Hugging Face folder of <paramref name="name"/> under <paramref name="root"/>, written (random, seeded) if missing.</summary>
    public static string EnsureFolder(string root, string name)
    {
        string folder = Path.Combine(root, "models", name);
        if (File.Exists(Path.Combine(folder, "tokenizer.bin"))) return folder;
        string staging = folder + ".partial";
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(staging);
        TorchRuntime.Seed(1234);
        using (var model = new LlamaForCausalLM(Configs[name], ScalarType.Float32, CPU))
        {
            LlamaInitializer.InitializeRandom(model);
            LlamaLoader.SaveFolder(model, staging);
        }
        WordTokenizerFile.Write(Path.Combine(staging, "tokenizer.bin"), []); // written last: its presence marks the folder complete
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.Move(staging, folder);
        return folder;
    }
}

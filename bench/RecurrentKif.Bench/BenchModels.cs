using RecurrentKif.Gpu.BuiltIn;
using RecurrentKif.Gpu.Models;
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
    public static readonly IReadOnlyDictionary<string, LlamaConfig> Configs = new Dictionary<string, LlamaConfig>
    {
        ["built-in"] = BuiltInModel.Config,
        ["llama-10M"] = new()
        {
            VocabSize = ByteTokenizerFile.VocabSize, HiddenSize = 384, IntermediateSize = 1024, NumHiddenLayers = 6,
            NumAttentionHeads = 6, NumKeyValueHeads = 2, HeadDim = 64, MaxPositionEmbeddings = 1024, RmsNormEps = 1e-5,
            RopeTheta = 10000.0, TieWordEmbeddings = true,
        },
        ["llama-50M"] = new()
        {
            VocabSize = ByteTokenizerFile.VocabSize, HiddenSize = 768, IntermediateSize = 2048, NumHiddenLayers = 8,
            NumAttentionHeads = 12, NumKeyValueHeads = 4, HeadDim = 64, MaxPositionEmbeddings = 1024, RmsNormEps = 1e-5,
            RopeTheta = 10000.0, TieWordEmbeddings = true,
        },
    };

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
        ByteTokenizerFile.Write(Path.Combine(staging, "tokenizer.bin")); // written last: its presence marks the folder complete
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.Move(staging, folder);
        return folder;
    }
}

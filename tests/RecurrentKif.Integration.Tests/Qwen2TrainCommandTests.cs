using RecurrentKif.Gpu.Tests.Models;
using RecurrentKif.Gpu.Tests.Tokenization.HuggingFace;

namespace RecurrentKif.Integration.Tests;

/// <summary>
/// A tiny random Qwen2 folder with Qwen's real tokenizer.json (no tokenizer.model beside it; 151 669 tokens, no BOS)
/// trains with `rkif train` and generates with `rkif generate` through the adapter it saved.
/// </summary>
public sealed class Qwen2TrainCommandTests
{
    [Fact]
    public void Tiny_qwen2_with_tokenizer_json_trains_and_generates()
    {
        string root = Directory.CreateTempSubdirectory("rkif-qwen2").FullName;
        try
        {
            string model = Path.Combine(root, "qwen2");
            // Qwen2's embedding matrix is padded past the tokenizer's last id (151 936 rows for 151 669 tokens).
            TinyQwen2.Write(model, vocabSize: 151936, bosTokenId: 151643, eosTokenId: 151645);
            foreach (string file in new[] { "tokenizer.json", "tokenizer_config.json" })
                File.Copy(Path.Combine(ReferenceTokenizers.Qwen, file), Path.Combine(model, file));
            string adapter = Path.Combine(root, "adapter");

            var train = RkifProcess.Run(
                $"train --model \"{model}\" --data-root \"{Path.Combine(root, "data")}\" --device cpu --threads 2 --task review " +
                $"--train-examples 8 --eval-examples 2 --epochs 2 --batch-size 4 --micro-batch-size 4 --warmup-steps 1 --cutoff 160 --out \"{adapter}\"");
            Assert.True(train.ExitCode == 0, train.Output);
            Assert.Contains("optimizer steps   4", train.Output);
            Assert.Contains("exact match", train.Output);
            Assert.True(File.Exists(Path.Combine(adapter, "adapter_model.safetensors")), train.Output);

            var generate = RkifProcess.Run(
                $"generate --model \"{model}\" --adapter \"{adapter}\" --device cpu --threads 2 --prompt \"Hello, 世界\" --max-new-tokens 6");
            Assert.True(generate.ExitCode == 0, generate.Output);
            Assert.Contains("Hello, 世界", generate.Output);

            var noPrompt = RkifProcess.Run($"generate --model \"{model}\" --device cpu --threads 2 --max-new-tokens 2");
            Assert.Equal(2, noPrompt.ExitCode);
            Assert.Contains("no BOS token", noPrompt.Output);
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }
}

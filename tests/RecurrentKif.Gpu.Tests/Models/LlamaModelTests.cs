using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Generation;
using RecurrentKif.Gpu.Models;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Tests.Models;

public sealed class LlamaModelTests
{
    [Fact]
    public void HfFolderAndLlama2cCheckpointGiveTheSameLogits()
    {
        using var hf = Stories260k.FromHfFolder();
        using var llama2c = Stories260k.FromLlama2c();
        using var ids = Stories260k.SampleIds(batch: 2, length: 64);
        using var a = hf.Forward(ids);
        using var b = llama2c.Forward(ids);
        double maxDiff = (a - b).abs().max().item<float>();
        Assert.True(maxDiff <= 1e-4, $"max |logit difference| = {maxDiff}");
        Assert.Equal(new long[] { 2, 64, 512 }, a.shape);
    }

    [Fact]
    public void LeftPaddingDoesNotChangeTheLogitsOfRealTokens()
    {
        using var model = Stories260k.FromHfFolder();
        int[] shortPrompt = [1, 300, 301, 302, 303];
        int[] longPrompt = [1, 400, 401, 402, 403, 404, 405, 406, 407];
        using var prompts = BatchCollator.CollatePrompts([shortPrompt, longPrompt], padId: 0, CPU);
        using var batched = model.Forward(prompts.InputIds, prompts.AttentionMask);
        using var alone = model.Forward(tensor(shortPrompt.Select(i => (long)i).ToArray(), [1, shortPrompt.Length]));
        int pad = longPrompt.Length - shortPrompt.Length;
        using var batchedReal = batched[0].narrow(0, pad, shortPrompt.Length);
        double diff = (batchedReal - alone[0]).abs().max().item<float>();
        Assert.True(diff < 1e-4, $"padded vs unpadded logits differ by {diff}");
        Assert.False(batched.isnan().any().item<bool>(), "padded positions must not produce NaN");
    }

    [Fact]
    public void GenerationWithKvCacheEqualsFullRecompute()
    {
        using var model = Stories260k.FromHfFolder();
        IReadOnlyList<int>[] prompts = [[1], [1, 403, 281, 290], [1, 300, 310]];
        var cached = GreedyGenerator.Generate(model, prompts, maxNewTokens: 30, eosId: 2, padId: 0, useCache: true);
        var full = GreedyGenerator.Generate(model, prompts, maxNewTokens: 30, eosId: 2, padId: 0, useCache: false);
        Assert.Equal(full.Select(r => string.Join(",", r)), cached.Select(r => string.Join(",", r)));
        Assert.All(cached, row => Assert.NotEmpty(row));
    }

    [Fact]
    public void Bf16WeightsTrackFp32Logits()
    {
        using var fp32 = Stories260k.FromHfFolder();
        using var bf16 = Stories260k.FromHfFolder(ScalarType.BFloat16);
        using var ids = Stories260k.SampleIds(batch: 1, length: 32);
        using var a = fp32.Forward(ids);
        using var b = bf16.Forward(ids);
        Assert.Equal(ScalarType.BFloat16, bf16.Decoder.EmbeddingWeight.dtype);
        Assert.Equal(ScalarType.Float32, b.dtype);
        // bf16 keeps ~3 significant digits: the argmax should agree almost everywhere.
        double agreement = a.argmax(-1).eq(b.argmax(-1)).to(ScalarType.Float32).mean().item<float>();
        Assert.True(agreement > 0.8, $"top-1 agreement between bf16 and fp32 weights is only {agreement:P0}");
    }

    [Fact]
    public void ShardedFolderLoadsTheSameWeightsAsASingleFile()
    {
        string folder = Directory.CreateTempSubdirectory("rkif-sharded").FullName;
        try
        {
            var source = SafeTensorsFile.Open(Path.Combine(SharedFixtures.Stories260k, "model.safetensors"));
            var names = source.Tensors.Keys.Order(StringComparer.Ordinal).ToList();
            var weightMap = new Dictionary<string, string>();
            for (int shard = 0; shard < 2; shard++)
            {
                string file = $"model-0000{shard + 1}-of-00002.safetensors";
                var part = names.Where((_, i) => i % 2 == shard).ToList();
                // The second shard is stored in bf16 to exercise mixed dtypes across shards.
                var tensors = part.Select(n => new KeyValuePair<string, Tensor>(n, source.Load(n, shard == 0 ? ScalarType.Float16 : ScalarType.BFloat16))).ToList();
                SafeTensorsFile.Save(Path.Combine(folder, file), tensors);
                foreach (var t in tensors) t.Value.Dispose();
                foreach (var n in part) weightMap[n] = file;
            }
            File.WriteAllText(Path.Combine(folder, "model.safetensors.index.json"),
                System.Text.Json.JsonSerializer.Serialize(new { metadata = new { total_size = 0 }, weight_map = weightMap }));
            File.Copy(Path.Combine(SharedFixtures.Stories260k, "config.json"), Path.Combine(folder, "config.json"));

            using var sharded = LlamaLoader.LoadFolder(folder, ScalarType.Float32, CPU);
            using var single = Stories260k.FromHfFolder();
            using var ids = Stories260k.SampleIds();
            using var a = sharded.Forward(ids);
            using var b = single.Forward(ids);
            Assert.True((a - b).abs().max().item<float>() < 0.5, "half-precision shards should give nearly the same logits");
            Assert.Equal(a.argmax(-1).data<long>().ToArray(), b.argmax(-1).data<long>().ToArray());
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public void SafeTensorsRoundTripIsExactForEveryFloatType()
    {
        string path = Path.GetTempFileName();
        try
        {
            manual_seed(3);
            var tensors = new Dictionary<string, Tensor>
            {
                ["a.f32"] = randn(3, 5),
                ["b.f16"] = randn(4, 2).to(ScalarType.Float16),
                ["c.bf16"] = randn(7).to(ScalarType.BFloat16),
                ["d.i64"] = arange(6, dtype: ScalarType.Int64).view(2, 3),
            };
            SafeTensorsFile.Save(path, tensors, new Dictionary<string, string> { ["format"] = "pt" });
            var file = SafeTensorsFile.Open(path);
            Assert.Equal("pt", file.Metadata["format"]);
            foreach (var (name, original) in tensors)
            {
                using var loaded = file.Load(name);
                Assert.Equal(original.dtype, loaded.dtype);
                Assert.Equal(original.shape, loaded.shape);
                Assert.True(original.eq(loaded).all().item<bool>(), $"{name} changed in the round trip");
            }
            // The data section starts on an 8-byte boundary, as the reference implementation writes it.
            long headerLength = BitConverter.ToInt64(File.ReadAllBytes(path), 0);
            Assert.Equal(0, headerLength % 8);
        }
        finally { File.Delete(path); }
    }
}

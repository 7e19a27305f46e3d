using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Generation;
using RecurrentKif.Gpu.Lora;
using RecurrentKif.Gpu.Models;
using RecurrentKif.Gpu.Models.T5;
using RecurrentKif.Gpu.Tests.Data;
using RecurrentKif.Gpu.Training;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Tests.Models.T5;

public sealed class T5ModelTests
{
    public static TheoryData<string, bool, bool> Variants => new()
    {
        { "relu", true, false },        // T5 v1.0 (t5-large): ReLU, tied head
        { "gated-gelu", false, false }, // Flan-T5: gated GELU, separate lm_head
        { "relu", false, true },        // untied ReLU from shards
        { "gated-gelu", true, true },   // tied gated from shards
    };

    private static TinyT5Spec Spec(string feedForward, bool tied, bool sharded) =>
        new() { FeedForward = feedForward, Tied = tied, Sharded = sharded, Seed = feedForward.Length + (tied ? 1 : 0) };

    [Theory]
    [MemberData(nameof(Variants))]
    public void Loaded_parameters_have_the_names_and_shapes_the_config_implies(string feedForward, bool tied, bool sharded)
    {
        using var dir = new TempDirectory();
        var spec = Spec(feedForward, tied, sharded);
        DisposeAll(TinyT5.Write(dir.Path, spec));
        using var model = T5Loader.LoadFolder(dir.Path, ScalarType.Float32, CPU);
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
        var expected = TinyT5.ExpectedTensors(spec);
        Assert.Equal(expected.Keys.OrderBy(n => n, StringComparer.Ordinal), parameters.Keys.OrderBy(n => n, StringComparer.Ordinal));
        Assert.All(expected, e => Assert.Equal(e.Value, parameters[e.Key]));
        Assert.Equal(spec.DecoderLayerCount, model.Config.NumDecoderLayers);
        Assert.Equal(spec.EncoderLayers, model.Config.NumLayers);
        Assert.All(model.parameters(), p => Assert.False(p.requires_grad));
        Assert.Equal(expected.Values.Sum(s => s.Aggregate(1L, (a, b) => a * b)), model.Config.ParameterCount());
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Logits_equal_an_independent_implementation_of_the_paper(string feedForward, bool tied, bool sharded)
    {
        using var dir = new TempDirectory();
        var spec = Spec(feedForward, tied, sharded);
        var weights = TinyT5.Write(dir.Path, spec);
        using var model = T5Loader.LoadFolder(dir.Path, ScalarType.Float32, CPU);
        // Sources of different lengths (so the batch is padded and masked), targets likewise.
        int[][] sources = [[5, 9, 13, 2, 31, 7, 1], [12, 3, 1], [8, 8, 21, 34, 17, 25, 6, 11, 19, 30, 4, 1]];
        int[][] targets = [[7, 3, 1], [22, 1], [14, 9, 27, 5, 1]];
        using var batch = Seq2SeqBatchCollator.Collate(sources.Zip(targets, (s, t) => new EncodedExample(s, t)).ToList(), padId: 0, decoderStartId: 0, CPU, padToMultipleOf: 8);
        using var logits = model.Forward(batch.InputIds, batch.AttentionMask, batch.DecoderInputIds);
        Assert.Equal([3L, 8L, spec.Vocab], logits.shape);
        for (int b = 0; b < sources.Length; b++)
        {
            int[] decoderInput = [0, .. targets[b][..^1]];
            using var expected = T5Reference.Logits(weights, spec, sources[b], decoderInput);
            using var actual = logits[b].narrow(0, 0, decoderInput.Length);
            double difference = (actual - expected).abs().max().item<float>();
            Assert.True(difference < 1e-4, $"row {b}: max |Δlogit| = {difference:E2} (logit scale {expected.abs().max().item<float>():F2})");
        }
        DisposeAll(weights);
    }

    [Fact]
    public void Loss_is_the_mean_cross_entropy_over_target_tokens()
    {
        using var dir = new TempDirectory();
        var spec = Spec("relu", tied: true, sharded: false);
        var weights = TinyT5.Write(dir.Path, spec);
        using var model = T5Loader.LoadFolder(dir.Path, ScalarType.Float32, CPU);
        int[][] sources = [[5, 9, 1], [12, 3, 17, 20, 1]];
        int[][] targets = [[7, 3, 1], [22, 1]];
        using var batch = Seq2SeqBatchCollator.Collate(sources.Zip(targets, (s, t) => new EncodedExample(s, t)).ToList(), 0, 0, CPU, 8);
        double loss = Seq2SeqLmLoss.Compute(model, batch).item<float>();
        double total = 0;
        for (int b = 0; b < 2; b++)
        {
            using var logits = T5Reference.Logits(weights, spec, sources[b], [0, .. targets[b][..^1]]);
            using var logProbs = logits.log_softmax(-1);
            for (int t = 0; t < targets[b].Length; t++) total -= logProbs[t, targets[b][t]].item<float>();
        }
        Assert.Equal(total / 5, loss, 4);
        DisposeAll(weights);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(-1, 1)]
    [InlineData(-7, 7)]
    [InlineData(-8, 8)]      // first logarithmic bucket: 8 + ⌊log(8/8)/log(16)·8⌋ = 8
    [InlineData(-12, 9)]     // 8 + ⌊log(1.5)/log(16)·8⌋ = 8 + ⌊1.17⌋
    [InlineData(-20, 10)]    // 8 + ⌊log(2.5)/log(16)·8⌋ = 8 + ⌊2.64⌋
    [InlineData(-40, 12)]    // 8 + ⌊log(5)/log(16)·8⌋ = 8 + ⌊4.64⌋
    [InlineData(-100, 15)]   // 8 + ⌊log(12.5)/log(16)·8⌋ = 8 + ⌊7.29⌋
    [InlineData(-1000, 15)]  // beyond max_distance: the last bucket
    [InlineData(1, 17)]      // keys after the query use the upper half: 16 + 1
    [InlineData(12, 25)]     // 16 + 9
    [InlineData(127, 31)]    // 16 + min(8 + ⌊7.97⌋, 15)
    public void Encoder_buckets_are_bidirectional(int relative, int bucket) =>
        Assert.Equal(bucket, BucketOf(relative, bidirectional: true));

    [Theory]
    [InlineData(0, 0)]
    [InlineData(5, 0)]       // the decoder never looks ahead: future keys share bucket 0
    [InlineData(-1, 1)]
    [InlineData(-15, 15)]
    [InlineData(-20, 17)]    // 16 + ⌊log(20/16)/log(8)·16⌋ = 16 + ⌊1.72⌋
    [InlineData(-40, 23)]    // 16 + ⌊log(2.5)/log(8)·16⌋ = 16 + ⌊7.05⌋
    [InlineData(-100, 30)]   // 16 + ⌊log(6.25)/log(8)·16⌋ = 16 + ⌊14.10⌋
    [InlineData(-127, 31)]   // 16 + ⌊15.94⌋
    [InlineData(-500, 31)]
    public void Decoder_buckets_look_only_back(int relative, int bucket) =>
        Assert.Equal(bucket, BucketOf(relative, bidirectional: false));

    private static int BucketOf(int relative, bool bidirectional)
    {
        using var positions = tensor(new long[] { relative });
        using var buckets = T5RelativePosition.Bucket(positions, bidirectional, numBuckets: 32, maxDistance: 128);
        return (int)buckets.item<long>();
    }

    [Fact]
    public void Production_buckets_equal_the_reference_over_a_range_of_offsets()
    {
        foreach (var (buckets, distance) in new[] { (32, 128), (16, 32), (8, 20) })
            foreach (bool bidirectional in new[] { true, false })
            {
                using var offsets = arange(-300, 301, dtype: ScalarType.Int64);
                long[] actual = T5RelativePosition.Bucket(offsets, bidirectional, buckets, distance).data<long>().ToArray();
                // Skip offsets whose log lands exactly on a bucket edge (float32 vs double may round either way there).
                for (int i = 0; i < actual.Length; i++)
                {
                    int r = i - 300;
                    if (OnBucketEdge(r, bidirectional, buckets, distance)) continue;
                    Assert.True(T5Reference.Bucket(r, bidirectional, buckets, distance) == actual[i], $"offset {r}, {buckets} buckets, max {distance}, bidirectional {bidirectional}");
                }
            }
    }

    private static bool OnBucketEdge(int relative, bool bidirectional, int buckets, int maxDistance)
    {
        int half = bidirectional ? buckets / 2 : buckets;
        int exact = half / 2;
        double distance = Math.Abs(relative);
        double position = Math.Log(distance / exact) / Math.Log(maxDistance / (double)exact) * (half - exact);
        return distance >= exact && Math.Abs(position - Math.Round(position)) < 1e-9;
    }

    [Theory]
    [InlineData("relu", true)]
    [InlineData("gated-gelu", false)]
    public void Cached_greedy_generation_equals_generation_without_caching(string feedForward, bool tied)
    {
        using var dir = new TempDirectory();
        DisposeAll(TinyT5.Write(dir.Path, Spec(feedForward, tied, sharded: false) with { Vocab = 60 }));
        using var model = T5Loader.LoadFolder(dir.Path, ScalarType.Float32, CPU);
        IReadOnlyList<int>[] sources = [[5, 9, 13, 2, 1], [12, 1], [8, 21, 34, 17, 25, 6, 11, 19, 1], [40, 41, 42, 1]];
        // EOS 1 never wins on random weights often enough to stop early everywhere, so both paths run long and drop rows.
        var cached = Seq2SeqGreedyGenerator.Generate(model, sources, maxNewTokens: 12, eosId: 1, padId: 0, useCache: true);
        var full = Seq2SeqGreedyGenerator.Generate(model, sources, maxNewTokens: 12, eosId: 1, padId: 0, useCache: false);
        Assert.Equal(full, cached);
        Assert.Contains(cached, o => o.Length > 1);
        // Early stopping is exercised too: with EOS set to a token the model does produce, some rows end before others.
        int common = cached.SelectMany(o => o).GroupBy(t => t).OrderByDescending(g => g.Count()).First().Key;
        Assert.Equal(
            Seq2SeqGreedyGenerator.Generate(model, sources, 12, eosId: common, padId: 0, useCache: false),
            Seq2SeqGreedyGenerator.Generate(model, sources, 12, eosId: common, padId: 0, useCache: true));
    }

    [Fact]
    public void Lora_adapts_q_and_v_of_every_attention_and_starts_as_a_no_op()
    {
        using var dir = new TempDirectory();
        var spec = Spec("relu", tied: true, sharded: false);
        DisposeAll(TinyT5.Write(dir.Path, spec));
        using var model = T5Loader.LoadFolder(dir.Path, ScalarType.Float32, CPU);
        using var batch = Seq2SeqBatchCollator.Collate([new EncodedExample([5, 9, 1], [7, 1])], 0, 0, CPU);
        using var before = model.Forward(batch.InputIds, batch.AttentionMask, batch.DecoderInputIds);
        ILanguageModel backbone = model;
        var adapter = backbone.AttachLora(new LoraSettings()); // q_proj, v_proj: the paper's targets in LLaMA's names
        // Encoder self-attention, decoder self-attention and cross-attention, q and v each.
        Assert.Equal(2 * spec.EncoderLayers + 4 * spec.DecoderLayerCount, adapter.Pairs.Count);
        Assert.Contains(adapter.Pairs, p => p.ModulePath == "encoder.block.1.layer.0.SelfAttention.q");
        Assert.Contains(adapter.Pairs, p => p.ModulePath == "decoder.block.2.layer.0.SelfAttention.v");
        Assert.Contains(adapter.Pairs, p => p.ModulePath == "decoder.block.0.layer.1.EncDecAttention.q");
        Assert.Equal(["q", "v"], backbone.LoraSettingsFor(new LoraSettings()).TargetModules);
        using var after = model.Forward(batch.InputIds, batch.AttentionMask, batch.DecoderInputIds);
        Assert.True(before.eq(after).all().item<bool>());
    }

    [Fact]
    public void Embed_tokens_copies_of_older_exports_are_accepted()
    {
        using var dir = new TempDirectory();
        var spec = Spec("relu", tied: true, sharded: false) with { WithEmbedCopies = true, DecoderLayers = null };
        DisposeAll(TinyT5.Write(dir.Path, spec));
        using var model = (T5ForConditionalGeneration)ModelLoader.LoadFolder(dir.Path, ScalarType.Float32, CPU);
        Assert.Equal(spec.EncoderLayers, model.Config.NumDecoderLayers); // num_decoder_layers absent: same as num_layers
    }

    [Fact]
    public void Folder_family_comes_from_config_json_and_unknown_families_are_refused()
    {
        using var dir = new TempDirectory();
        DisposeAll(TinyT5.Write(dir.Path, Spec("relu", tied: true, sharded: false)));
        Assert.Equal("t5", ModelLoader.FamilyOf(dir.Path));
        Assert.Equal("llama", ModelLoader.FamilyOf(SharedFixtures.Stories260k));
        dir.WriteFile("config.json", """{"model_type": "bert", "architectures": ["BertModel"]}""");
        var error = Assert.Throws<ModelLoadException>(() => ModelLoader.LoadFolder(dir.Path, ScalarType.Float32, CPU));
        Assert.Contains("config.json", error.Message);
        Assert.Contains("'bert'", error.Message);
        Assert.Contains("BertModel", error.Message);
    }

    [Fact]
    public void A_missing_or_misshapen_tensor_is_named()
    {
        using var dir = new TempDirectory();
        var spec = Spec("gated-gelu", tied: false, sharded: false);
        var weights = TinyT5.Write(dir.Path, spec);
        weights.Remove("decoder.block.1.layer.1.EncDecAttention.k.weight", out var removed);
        removed!.Dispose();
        SafeTensorsFile.Save(Path.Combine(dir.Path, "model.safetensors"), weights);
        var error = Assert.Throws<ModelLoadException>(() => T5Loader.LoadFolder(dir.Path, ScalarType.Float32, CPU));
        Assert.Contains("decoder.block.1.layer.1.EncDecAttention.k.weight", error.Message);

        weights["decoder.block.1.layer.1.EncDecAttention.k.weight"] = zeros(5, spec.DModel);
        SafeTensorsFile.Save(Path.Combine(dir.Path, "model.safetensors"), weights);
        error = Assert.Throws<ModelLoadException>(() => T5Loader.LoadFolder(dir.Path, ScalarType.Float32, CPU));
        Assert.Contains("[5,16]", error.Message);
        DisposeAll(weights);
    }

    [Fact]
    public void Bf16_base_weights_give_fp32_logits_close_to_the_fp32_model()
    {
        using var dir = new TempDirectory();
        DisposeAll(TinyT5.Write(dir.Path, Spec("gated-gelu", tied: true, sharded: false)));
        using var full = T5Loader.LoadFolder(dir.Path, ScalarType.Float32, CPU);
        using var half = T5Loader.LoadFolder(dir.Path, ScalarType.BFloat16, CPU);
        using var batch = Seq2SeqBatchCollator.Collate([new EncodedExample([5, 9, 13, 2, 1], [7, 3, 1]), new EncodedExample([12, 1], [22, 1])], 0, 0, CPU, 8);
        using var expected = full.Forward(batch.InputIds, batch.AttentionMask, batch.DecoderInputIds);
        using var actual = half.Forward(batch.InputIds, batch.AttentionMask, batch.DecoderInputIds);
        Assert.Equal(ScalarType.Float32, actual.dtype);
        double scale = expected.abs().mean().item<float>(), difference = (actual - expected).abs().mean().item<float>();
        double corr = ((actual - actual.mean()) * (expected - expected.mean())).mean().item<float>() / (actual.std().item<float>() * expected.std().item<float>());
        // bf16 keeps 8 bits of mantissa (≈0.4 % per rounding); over five blocks that is a few percent, not a different function.
        Assert.True(difference < 0.06 * scale && corr > 0.99, $"bf16 mean |Δlogit| {difference:F3} against a mean |logit| of {scale:F3}, correlation {corr:F4}");
    }

    [Fact]
    public void An_unknown_feed_forward_is_refused_with_the_key_and_the_file()
    {
        using var dir = new TempDirectory();
        var spec = Spec("relu", tied: true, sharded: false);
        DisposeAll(TinyT5.Write(dir.Path, spec));
        var config = TinyT5.ConfigJson(spec);
        config["feed_forward_proj"] = "gated-swish";
        dir.WriteFile("config.json", config.ToJsonString());
        var error = Assert.Throws<ModelLoadException>(() => ModelLoader.LoadFolder(dir.Path, ScalarType.Float32, CPU));
        Assert.Contains("config.json", error.Message);
        Assert.Contains("feed_forward_proj 'gated-swish'", error.Message);
    }

    private static void DisposeAll(Dictionary<string, Tensor> weights)
    {
        foreach (var t in weights.Values) t.Dispose();
    }
}

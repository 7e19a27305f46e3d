using RecurrentKif.Gpu.BuiltIn;
using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Lora;
using RecurrentKif.Gpu.Merging;
using RecurrentKif.Gpu.Models;
using RecurrentKif.Gpu.Models.T5;
using RecurrentKif.Gpu.Tests.Data;
using RecurrentKif.Gpu.Tests.Models;
using RecurrentKif.Gpu.Tests.Models.T5;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Tests.Merging;

/// <summary>
/// A merged folder reloads as the plain base family and computes what base + adapter computes (≤ 1e-5 in fp32),
/// carries the base's config and tokenizer files, and keeps each tensor's stored dtype.
/// </summary>
public sealed class MergedModelTests
{
    private const double Tolerance = 1e-5;

    /// <summary>Random A and B (B = 0 would make the adapter a no-op and the test unable to fail).</summary>
    private static LoraAdapter AttachRandom(nn.Module model, LoraSettings settings, int seed)
    {
        manual_seed(seed);
        var adapter = LoraAdapter.Attach(model, settings with { Dropout = 0 });
        using (no_grad()) foreach (var b in adapter.Pairs.Select(p => p.B)) b.normal_(0, 0.2);
        return adapter;
    }

    private static double MaxDifference(Tensor a, Tensor b) => (a - b).abs().max().item<float>();

    private static void DisposeAll(IEnumerable<ModuleDelta> deltas)
    {
        foreach (var d in deltas) d.Delta.Dispose();
    }

    [Fact]
    public void AllLinearAdapterMergedIntoATinyLlamaGivesTheSameLogits()
    {
        using var dir = new TempDirectory();
        string baseFolder = TinyLlama.Write(Path.Combine(dir.Path, "base"));
        string merged = Path.Combine(dir.Path, "merged");
        using var ids = TinyLlama.SampleIds();

        using var withAdapter = LlamaLoader.LoadFolder(baseFolder, ScalarType.Float32, CPU);
        using var baseLogits = withAdapter.Forward(ids);
        var adapter = AttachRandom(withAdapter, new LoraSettings { TargetPattern = LoraTargets.AllLinear }, seed: 4);
        Assert.Equal(2 * 7, adapter.Pairs.Count);
        withAdapter.eval();
        using var expected = withAdapter.Forward(ids);
        Assert.True(MaxDifference(expected, baseLogits) > 1e-2, "the adapter must change the logits, or the comparison proves nothing");

        var deltas = LoraDeltas.Of(adapter);
        try { MergedModelWriter.Write(baseFolder, deltas, merged); }
        finally { DisposeAll(deltas); }

        Assert.Equal("llama", ModelLoader.FamilyOf(merged));
        using var reloaded = ModelLoader.LoadFolder(merged, ScalarType.Float32, CPU);
        using var actual = ((LlamaForCausalLM)reloaded).Forward(ids);
        double difference = MaxDifference(expected, actual);
        Assert.True(difference <= Tolerance, $"merged logits differ from base + adapter by {difference}");
        Assert.DoesNotContain(reloaded.Module.named_parameters(), p => p.name.Contains("lora_", StringComparison.Ordinal));
    }

    [Fact]
    public void MergedFolderCarriesTheConfigAndTokenizerFilesAndNothingElse()
    {
        using var dir = new TempDirectory();
        string baseFolder = TinyLlama.Write(Path.Combine(dir.Path, "base"));
        string merged = Path.Combine(dir.Path, "merged");
        using (var model = LlamaLoader.LoadFolder(baseFolder, ScalarType.Float32, CPU))
        {
            var deltas = LoraDeltas.Of(AttachRandom(model, new LoraSettings(), seed: 2));
            try { MergedModelWriter.Write(baseFolder, deltas, merged); }
            finally { DisposeAll(deltas); }
        }
        Assert.Equal(
            ["config.json", "model.safetensors", .. TinyLlama.TokenizerFiles.Keys.Order(StringComparer.Ordinal)],
            Directory.GetFiles(merged).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (string file in TinyLlama.TokenizerFiles.Keys.Append("config.json"))
            Assert.Equal(File.ReadAllBytes(Path.Combine(baseFolder, file)), File.ReadAllBytes(Path.Combine(merged, file)));
        var baseTensors = SafeTensorsFile.Open(Path.Combine(baseFolder, "model.safetensors")).Tensors;
        var mergedTensors = SafeTensorsFile.Open(Path.Combine(merged, "model.safetensors")).Tensors;
        Assert.Equal(baseTensors.Keys.Order(StringComparer.Ordinal), mergedTensors.Keys.Order(StringComparer.Ordinal));
        Assert.False(Directory.Exists(merged + ".partial"));
    }

    [Fact]
    public void PeftFolderMergesToTheSameLogitsAsTheAdapterItHolds()
    {
        using var dir = new TempDirectory();
        string baseFolder = TinyLlama.Write(Path.Combine(dir.Path, "base"));
        string adapterFolder = Path.Combine(dir.Path, "adapter");
        string merged = Path.Combine(dir.Path, "merged");
        using var ids = TinyLlama.SampleIds();
        using var model = LlamaLoader.LoadFolder(baseFolder, ScalarType.Float32, CPU);
        var adapter = AttachRandom(model, new LoraSettings { Rank = 4, Alpha = 8, TargetModules = ["q_proj", "v_proj", "down_proj", "lm_head"] }, seed: 6);
        model.eval();
        using var expected = model.Forward(ids);
        PeftAdapterFormat.Save(adapter, adapterFolder, baseFolder);

        AdapterMerge.FromPeftFolders(baseFolder, [adapterFolder], "linear", new DeltaCombinationOptions(), merged);

        using var reloaded = LlamaLoader.LoadFolder(merged, ScalarType.Float32, CPU);
        using var actual = reloaded.Forward(ids);
        double difference = MaxDifference(expected, actual);
        Assert.True(difference <= Tolerance, $"merged logits differ from base + adapter by {difference}");
    }

    [Fact]
    public void TwoAdaptersCombinedByTiesAreFoldedAsTheCombinedDelta()
    {
        using var dir = new TempDirectory();
        string baseFolder = TinyLlama.Write(Path.Combine(dir.Path, "base"));
        string merged = Path.Combine(dir.Path, "merged");
        var folders = new List<string>();
        var perAdapter = new List<IReadOnlyList<ModuleDelta>>();
        for (int i = 0; i < 2; i++)
        {
            using var model = LlamaLoader.LoadFolder(baseFolder, ScalarType.Float32, CPU);
            var adapter = AttachRandom(model, new LoraSettings(), seed: 20 + i);
            folders.Add(Path.Combine(dir.Path, $"adapter{i}"));
            PeftAdapterFormat.Save(adapter, folders[^1], baseFolder);
            perAdapter.Add(LoraDeltas.Of(adapter));
        }
        var options = new DeltaCombinationOptions { Density = 0.5, Weights = [0.7, 0.3] };
        AdapterMerge.FromPeftFolders(baseFolder, folders, "ties", options, merged);

        const string weight = "model.layers.1.self_attn.q_proj.weight";
        var ties = DeltaCombinations.Get("ties");
        using var expectedDelta = ties.Combine([perAdapter[0][2].Delta, perAdapter[1][2].Delta], options, "model.layers.1.self_attn.q_proj");
        Assert.Equal("model.layers.1.self_attn.q_proj", perAdapter[0][2].ModulePath);
        using var baseWeight = SafeTensorsFile.Open(Path.Combine(baseFolder, "model.safetensors")).Load(weight);
        using var mergedWeight = SafeTensorsFile.Open(Path.Combine(merged, "model.safetensors")).Load(weight);
        Assert.True(expectedDelta.ne(0).any().item<bool>());
        Assert.True(MaxDifference(mergedWeight - baseWeight, expectedDelta) <= 1e-6);
        foreach (var deltas in perAdapter) DisposeAll(deltas);
    }

    [Fact]
    public void Bf16BaseStaysBf16()
    {
        using var dir = new TempDirectory();
        string baseFolder = TinyLlama.Write(Path.Combine(dir.Path, "base"), stored: ScalarType.BFloat16);
        string merged = Path.Combine(dir.Path, "merged");
        using (var model = LlamaLoader.LoadFolder(baseFolder, ScalarType.Float32, CPU))
        {
            var deltas = LoraDeltas.Of(AttachRandom(model, new LoraSettings(), seed: 2));
            try { MergedModelWriter.Write(baseFolder, deltas, merged); }
            finally { DisposeAll(deltas); }
        }
        var tensors = SafeTensorsFile.Open(Path.Combine(merged, "model.safetensors")).Tensors.Values;
        Assert.All(tensors, t => Assert.Equal("BF16", t.DType));
    }

    [Fact]
    public void TinyT5MergesToTheSameLogits()
    {
        using var dir = new TempDirectory();
        string baseFolder = Path.Combine(dir.Path, "base");
        string merged = Path.Combine(dir.Path, "merged");
        Directory.CreateDirectory(baseFolder);
        foreach (var t in TinyT5.Write(baseFolder, new TinyT5Spec { Tied = false }).Values) t.Dispose();
        using var batch = Seq2SeqBatchCollator.Collate([new EncodedExample([5, 9, 1], [7, 1]), new EncodedExample([3, 1], [8, 2, 1])], 0, 0, CPU);

        using var model = T5Loader.LoadFolder(baseFolder, ScalarType.Float32, CPU);
        var adapter = AttachRandom(model, new LoraSettings { TargetPattern = LoraTargets.AllLinear }, seed: 8);
        Assert.DoesNotContain(adapter.Pairs, p => p.ModulePath == LoraTargets.OutputHead);
        model.eval();
        using var expected = model.Forward(batch.InputIds, batch.AttentionMask, batch.DecoderInputIds);
        var deltas = LoraDeltas.Of(adapter);
        try { MergedModelWriter.Write(baseFolder, deltas, merged); }
        finally { DisposeAll(deltas); }

        Assert.Equal("t5", ModelLoader.FamilyOf(merged));
        using var reloaded = T5Loader.LoadFolder(merged, ScalarType.Float32, CPU);
        using var actual = reloaded.Forward(batch.InputIds, batch.AttentionMask, batch.DecoderInputIds);
        double difference = MaxDifference(expected, actual);
        Assert.True(difference <= Tolerance, $"merged T5 logits differ from base + adapter by {difference}");
    }

    [Fact]
    public void BuiltInModelMergesToTheSameLogitsAndKeepsItsTokenizer()
    {
        using var dir = new TempDirectory();
        string merged = Path.Combine(dir.Path, "merged");
        using var ids = tensor(new long[] { 1, 5, 9, 13, 17, 21, 25, 29 }, [1, 8]);
        using var model = LlamaLoader.LoadFolder(BuiltInModel.ShippedFolder, ScalarType.Float32, CPU);
        var adapter = AttachRandom(model, new LoraSettings(), seed: 1);
        model.eval();
        using var expected = model.Forward(ids);
        var deltas = LoraDeltas.Of(adapter);
        try { MergedModelWriter.Write(BuiltInModel.ShippedFolder, deltas, merged); }
        finally { DisposeAll(deltas); }

        using var reloaded = LlamaLoader.LoadFolder(merged, ScalarType.Float32, CPU);
        using var actual = reloaded.Forward(ids);
        double difference = MaxDifference(expected, actual);
        Assert.True(difference <= Tolerance, $"merged built-in logits differ from base + adapter by {difference}");
        Assert.Equal(File.ReadAllBytes(Path.Combine(BuiltInModel.ShippedFolder, "tokenizer.bin")), File.ReadAllBytes(Path.Combine(merged, "tokenizer.bin")));
        Assert.False(File.Exists(Path.Combine(merged, "provenance.json")), "the base's pretraining record does not describe the merged model");
    }

    [Fact]
    public void ADeltaForATensorTheBaseDoesNotStoreAndANonEmptyOutputAreRefused()
    {
        using var dir = new TempDirectory();
        string tiedFolder = TinyLlama.Write(Path.Combine(dir.Path, "tied"), config: TinyLlama.Config with { TieWordEmbeddings = true });
        using var headDelta = zeros(48, 16);
        var e = Assert.Throws<ModelLoadException>(() => MergedModelWriter.Write(tiedFolder, [new ModuleDelta("lm_head", headDelta)], Path.Combine(dir.Path, "out")));
        Assert.Contains("lm_head.weight", e.Message);

        string occupied = Path.Combine(dir.Path, "occupied");
        Directory.CreateDirectory(occupied);
        File.WriteAllText(Path.Combine(occupied, "keep.txt"), "mine");
        Assert.Throws<ArgumentException>(() => MergedModelWriter.Write(tiedFolder, [], occupied));
        Assert.True(File.Exists(Path.Combine(occupied, "keep.txt")));
    }
}

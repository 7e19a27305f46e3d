using RecurrentKif.Gpu.Lora;
using RecurrentKif.Gpu.Models;
using RecurrentKif.Gpu.Tests.Models;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Tests.Lora;

public sealed class LoraAdapterTests
{
    [Fact]
    public void FreshAdapterLeavesLogitsUnchanged()
    {
        using var model = Stories260k.FromHfFolder();
        using var ids = Stories260k.SampleIds();
        using var before = model.Forward(ids);
        manual_seed(1);
        var adapter = LoraAdapter.Attach(model, new LoraSettings());
        model.eval();
        using var after = model.Forward(ids);
        Assert.True(before.eq(after).all().item<bool>(), "B = 0 must make the fresh adapter an exact no-op");
        // The adapter is real: A is initialised, and moving B changes the output.
        Assert.All(adapter.Pairs, p => Assert.True(p.A.abs().sum().item<float>() > 0));
        using (no_grad()) adapter.Pairs[0].B.fill_(0.05f);
        using var moved = model.Forward(ids);
        Assert.False(before.eq(moved).all().item<bool>());
    }

    [Fact]
    public void AdapterHasTheDocumentedShapeOrderAndInitialisation()
    {
        using var model = Stories260k.FromHfFolder();
        manual_seed(1);
        var adapter = LoraAdapter.Attach(model, new LoraSettings { Rank = 8, Alpha = 32, TargetModules = ["q_proj", "v_proj"] });
        // stories260k: 5 layers × (q_proj, v_proj).
        Assert.Equal(10, adapter.Pairs.Count);
        Assert.Equal(20, adapter.Parameters.Count);
        Assert.Equal("model.layers.0.self_attn.q_proj", adapter.Pairs[0].ModulePath);
        Assert.Equal("model.layers.0.self_attn.v_proj", adapter.Pairs[1].ModulePath);
        Assert.Equal("model.layers.4.self_attn.v_proj", adapter.Pairs[^1].ModulePath);
        var q = adapter.Pairs[0];
        Assert.Equal(new long[] { 8, 64 }, q.A.shape);   // A: r × in
        Assert.Equal(new long[] { 64, 8 }, q.B.shape);   // B: out × r (q_proj: 8 heads × 8)
        Assert.Equal(new long[] { 32, 8 }, adapter.Pairs[1].B.shape); // v_proj: 4 kv heads × 8
        Assert.True(q.A.abs().max().item<float>() <= 1.0 / Math.Sqrt(64) + 1e-7, "A ~ U(±1/√in)");
        Assert.Equal(0f, q.B.abs().sum().item<float>());
        // Only θ trains.
        var trainable = model.parameters().Where(p => p.requires_grad).ToList();
        Assert.Equal(adapter.Parameters.Count, trainable.Count);
        Assert.Equal(10 * (8 * 64 + 64 * 8) / 2 + 5 * (8 * 64 + 32 * 8), adapter.ScalarCount);
    }

    [Fact]
    public void LayersAreOrderedNumericallyNotAlphabetically()
    {
        var paths = new[] { "model.layers.10.q", "model.layers.2.q", "model.layers.1.v", "model.layers.1.q" };
        var sorted = paths.OrderBy(p => p, ModulePathComparer.Instance).ToArray();
        Assert.Equal(new[] { "model.layers.1.q", "model.layers.1.v", "model.layers.2.q", "model.layers.10.q" }, sorted);
    }

    [Fact]
    public void SavedAdapterReloadsToIdenticalOutputs()
    {
        string folder = Directory.CreateTempSubdirectory("rkif-adapter").FullName;
        try
        {
            using var ids = Stories260k.SampleIds();
            using var trained = Stories260k.FromHfFolder();
            manual_seed(5);
            var adapter = LoraAdapter.Attach(trained, new LoraSettings { TargetModules = ["q_proj", "v_proj", "o_proj"] });
            using (no_grad()) foreach (var p in adapter.Parameters) p.add_(randn_like(p) * 0.1);
            trained.eval();
            using var expected = trained.Forward(ids);
            PeftAdapterFormat.Save(adapter, folder, SharedFixtures.Stories260k);

            using var reloaded = Stories260k.FromHfFolder();
            var loaded = PeftAdapterFormat.Load(reloaded, folder);
            reloaded.eval();
            using var actual = reloaded.Forward(ids);
            Assert.True(expected.eq(actual).all().item<bool>(), "reloaded adapter must reproduce the outputs bit for bit");
            Assert.Equal(["q_proj", "v_proj", "o_proj"], loaded.Settings.TargetModules);

            // PEFT layout: the key names a Python user's PeftModel.from_pretrained expects.
            var keys = SafeTensorsFile.Open(Path.Combine(folder, "adapter_model.safetensors")).Tensors.Keys.ToHashSet();
            Assert.Contains("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", keys);
            Assert.Contains("base_model.model.model.layers.4.self_attn.o_proj.lora_B.weight", keys);
            Assert.Equal(30, keys.Count);
            string config = File.ReadAllText(Path.Combine(folder, "adapter_config.json"));
            Assert.Contains("\"peft_type\": \"LORA\"", config);
            Assert.Contains("\"lora_alpha\": 32", config);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public void AdapterForAnotherModelIsRefusedWithTheTensorName()
    {
        string folder = Directory.CreateTempSubdirectory("rkif-adapter").FullName;
        try
        {
            using var model = Stories260k.FromHfFolder();
            var adapter = LoraAdapter.Attach(model, new LoraSettings { Rank = 4 });
            PeftAdapterFormat.Save(adapter, folder);
            // Same targets and rank, but a model with one layer fewer: the adapter has tensors it cannot place.
            var config = model.Config with { NumHiddenLayers = 4 };
            using var smaller = new LlamaForCausalLM(config, ScalarType.Float32, CPU);
            var e = Assert.Throws<ModelLoadException>(() => PeftAdapterFormat.Load(smaller, folder));
            Assert.Contains("adapter_model.safetensors", e.Message);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public void Bf16BaseKeepsFp32LoraAndGradientsFlowToIt()
    {
        using var model = Stories260k.FromHfFolder(ScalarType.BFloat16);
        var adapter = LoraAdapter.Attach(model, new LoraSettings { Dropout = 0 });
        Assert.All(adapter.Parameters, p => Assert.Equal(ScalarType.Float32, p.dtype));
        using var ids = Stories260k.SampleIds();
        model.train();
        using var logits = model.Forward(ids);
        using var loss = logits.logsumexp(-1).mean();
        loss.backward();
        Assert.All(adapter.Parameters.Where((_, i) => i % 2 == 1), b => Assert.True(b.grad!.abs().sum().item<float>() > 0, "B must receive a gradient"));
        Assert.All(model.Decoder.parameters().Where(p => !p.requires_grad), p => Assert.Null(p.grad));
    }
}

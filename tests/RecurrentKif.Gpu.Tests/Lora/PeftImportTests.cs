using System.Text.Json.Nodes;
using RecurrentKif.Gpu.Lora;
using RecurrentKif.Gpu.Merging;
using RecurrentKif.Gpu.Models;
using RecurrentKif.Gpu.Tests.Data;
using RecurrentKif.Gpu.Tests.Models;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Tests.Lora;

/// <summary>
/// The strict PEFT importer: the hand-built golden adapter (Lora/Fixtures/peft-golden) loads exactly, every option
/// RecurrentKif cannot honour is refused naming the file and the option, and string target_modules follow PEFT.
/// </summary>
public sealed class PeftImportTests
{
    private static string GoldenFolder => Path.Combine(AppContext.BaseDirectory, "Lora", "Fixtures", "peft-golden");

    /// <summary>The golden adapter copied to a temporary folder with its config changed by <paramref name="edit"/>.</summary>
    private static string EditedCopy(TempDirectory dir, Action<JsonObject> edit)
    {
        string folder = Path.Combine(dir.Path, "adapter");
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(GoldenFolder, PeftAdapterFormat.WeightsFile), Path.Combine(folder, PeftAdapterFormat.WeightsFile));
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(GoldenFolder, PeftAdapterFormat.ConfigFile)))!.AsObject();
        edit(config);
        File.WriteAllText(Path.Combine(folder, PeftAdapterFormat.ConfigFile), config.ToJsonString());
        return folder;
    }

    private static float GoldenA(int layer, int i, int j) => (float)(((16 * i + j) % 7 - 3) / 64.0 * (layer + 1));

    private static float GoldenB(int module, int i, int j) => (float)(((2 * i + j) % 5 - 2) / 32.0 * (module + 1));

    [Fact]
    public void TheGoldenPeftAdapterLoadsWithItsSettingsValuesAndScale()
    {
        using var model = new LlamaForCausalLM(TinyLlama.Config, ScalarType.Float32, CPU);
        var adapter = PeftAdapterFormat.Load(model, GoldenFolder);

        Assert.Equal(2, adapter.Settings.Rank);
        Assert.Equal(16, adapter.Settings.Alpha);
        Assert.Equal(["v_proj", "q_proj"], adapter.Settings.TargetModules);
        Assert.Equal(
            ["model.layers.0.self_attn.q_proj", "model.layers.0.self_attn.v_proj", "model.layers.1.self_attn.q_proj", "model.layers.1.self_attn.v_proj"],
            adapter.Pairs.Select(p => p.ModulePath));
        var deltas = LoraDeltas.Of(adapter);
        try
        {
            for (int p = 0; p < adapter.Pairs.Count; p++)
            {
                int layer = p / 2, module = p % 2, outFeatures = module == 0 ? 16 : 8;
                Assert.Equal(Enumerable.Range(0, 2 * 16).Select(k => GoldenA(layer, k / 16, k % 16)), adapter.Pairs[p].A.data<float>().ToArray());
                Assert.Equal(Enumerable.Range(0, outFeatures * 2).Select(k => GoldenB(module, k / 2, k % 2)), adapter.Pairs[p].B.data<float>().ToArray());
                // ΔW = (α / r) · B A = 8 · B A, worked out in double from the formula.
                var expected = new float[outFeatures * 16];
                for (int i = 0; i < outFeatures; i++)
                    for (int j = 0; j < 16; j++)
                        expected[i * 16 + j] = (float)(8 * Enumerable.Range(0, 2).Sum(k => (double)GoldenB(module, i, k) * GoldenA(layer, k, j)));
                Assert.Equal(expected, deltas[p].Delta.data<float>().ToArray());
            }
        }
        finally { foreach (var d in deltas) d.Delta.Dispose(); }
    }

    public static TheoryData<string, string> RefusedOptions => new()
    {
        { "use_rslora", "true" },
        { "use_dora", "true" },
        { "rank_pattern", """{"q_proj": 4}""" },
        { "alpha_pattern", """{"v_proj": 8}""" },
        { "layers_to_transform", "[0]" },
        { "layers_to_transform", "1" },
        { "layers_pattern", "\"layers\"" },
        { "modules_to_save", """["lm_head"]""" },
        { "bias", "\"all\"" },
        { "bias", "\"lora_only\"" },
        { "lora_bias", "true" },
        { "exclude_modules", """["v_proj"]""" },
        { "layer_replication", "[[0, 2]]" },
        { "trainable_token_indices", "[3, 4]" },
        { "target_parameters", """["mlp.experts.gate_up_proj"]""" },
        { "alora_invocation_tokens", "[7]" },
        { "use_qalora", "true" },
        { "megatron_config", """{"tensor_model_parallel_size": 2}""" },
        { "loftq_config", """{"loftq_bits": 4}""" },
        { "task_type", "\"SEQ_CLS\"" },
        { "init_lora_weights", "\"pissa\"" },
        { "init_lora_weights", "\"pissa_niter_4\"" },
        { "init_lora_weights", "\"olora\"" },
        { "init_lora_weights", "\"loftq\"" },
        { "init_lora_weights", "\"corda\"" },
        { "use_some_future_variant", "true" },
    };

    [Theory]
    [MemberData(nameof(RefusedOptions))]
    public void AnOptionThatIsNotHonouredIsRefusedNamingTheFileAndTheOption(string option, string json)
    {
        using var dir = new TempDirectory();
        string folder = EditedCopy(dir, c => c[option] = JsonNode.Parse(json));
        using var model = new LlamaForCausalLM(TinyLlama.Config, ScalarType.Float32, CPU);

        var e = Assert.Throws<ModelLoadException>(() => PeftAdapterFormat.Load(model, folder));

        Assert.Contains(Path.Combine(folder, PeftAdapterFormat.ConfigFile), e.Message);
        Assert.Contains($"'{option}'", e.Message);
        Assert.Contains("not supported", e.Message);
        Assert.DoesNotContain(model.named_modules(), m => m.name.Contains("lora_", StringComparison.Ordinal));
    }

    public static TheoryData<string, string> HarmlessValues => new()
    {
        { "use_rslora", "false" },
        { "use_dora", "false" },
        { "rank_pattern", "{}" },
        { "layers_to_transform", "null" },
        { "modules_to_save", "[]" },
        { "bias", "\"none\"" },
        { "init_lora_weights", "\"gaussian\"" },
        { "init_lora_weights", "false" },
        { "task_type", "null" },
        { "fan_in_fan_out", "true" },
        { "use_some_future_variant", "false" },
        { "some_future_settings", "null" },
    };

    [Theory]
    [MemberData(nameof(HarmlessValues))]
    public void OptionsAtTheirOffValueAreAccepted(string option, string json)
    {
        using var dir = new TempDirectory();
        string folder = EditedCopy(dir, c => c[option] = JsonNode.Parse(json));
        using var model = new LlamaForCausalLM(TinyLlama.Config, ScalarType.Float32, CPU);
        Assert.Equal(4, PeftAdapterFormat.Load(model, folder).Pairs.Count);
    }

    [Fact]
    public void AStringTargetIsAFullMatchRegexOverModulePaths()
    {
        using var model = new LlamaForCausalLM(TinyLlama.Config, ScalarType.Float32, CPU);
        var adapter = LoraAdapter.Attach(model, new LoraSettings { TargetPattern = @"model\.layers\.1\.self_attn\.(q|v)_proj" });
        Assert.Equal(["model.layers.1.self_attn.q_proj", "model.layers.1.self_attn.v_proj"], adapter.Pairs.Select(p => p.ModulePath));

        // Full match, as PEFT's re.fullmatch: "q_proj" alone matches no whole path.
        using var other = new LlamaForCausalLM(TinyLlama.Config, ScalarType.Float32, CPU);
        var e = Assert.Throws<ArgumentException>(() => LoraAdapter.Attach(other, new LoraSettings { TargetPattern = "q_proj" }));
        Assert.Contains("\"q_proj\"", e.Message);
    }

    [Fact]
    public void AllLinearIsEveryLinearLayerButTheOutputHead()
    {
        using var model = new LlamaForCausalLM(TinyLlama.Config, ScalarType.Float32, CPU);
        var adapter = LoraAdapter.Attach(model, new LoraSettings { TargetPattern = LoraTargets.AllLinear });
        string[] perLayer = ["mlp.down_proj", "mlp.gate_proj", "mlp.up_proj", "self_attn.k_proj", "self_attn.o_proj", "self_attn.q_proj", "self_attn.v_proj"];
        Assert.Equal(
            Enumerable.Range(0, 2).SelectMany(l => perLayer.Select(m => $"model.layers.{l}.{m}")).Order(StringComparer.Ordinal),
            adapter.Pairs.Select(p => p.ModulePath).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AListTargetMatchesWholeNamesOrDottedSuffixes()
    {
        using var model = new LlamaForCausalLM(TinyLlama.Config, ScalarType.Float32, CPU);
        var adapter = LoraAdapter.Attach(model, new LoraSettings { TargetModules = ["self_attn.o_proj", "model.layers.0.mlp.up_proj"] });
        Assert.Equal(
            ["model.layers.0.mlp.up_proj", "model.layers.0.self_attn.o_proj", "model.layers.1.self_attn.o_proj"],
            adapter.Pairs.Select(p => p.ModulePath));
    }

    [Fact]
    public void AStringTargetInAConfigIsReadAsAPatternAndSavedBackAsOne()
    {
        using var dir = new TempDirectory();
        string folder = EditedCopy(dir, c => c["target_modules"] = @".*\.(q|v)_proj");
        using var model = new LlamaForCausalLM(TinyLlama.Config, ScalarType.Float32, CPU);
        var adapter = PeftAdapterFormat.Load(model, folder);
        Assert.Equal(@".*\.(q|v)_proj", adapter.Settings.TargetPattern);
        Assert.Equal(4, adapter.Pairs.Count);

        string saved = Path.Combine(dir.Path, "saved");
        PeftAdapterFormat.Save(adapter, saved);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(saved, PeftAdapterFormat.ConfigFile)))!;
        Assert.Equal(@".*\.(q|v)_proj", config["target_modules"]!.GetValue<string>());
    }

    [Fact]
    public void AnInvalidPatternIsRefusedNamingTheFile()
    {
        using var dir = new TempDirectory();
        string folder = EditedCopy(dir, c => c["target_modules"] = "(q_proj");
        var e = Assert.Throws<ModelLoadException>(() => PeftAdapterFormat.ReadSettings(folder));
        Assert.Contains(Path.Combine(folder, PeftAdapterFormat.ConfigFile), e.Message);
        Assert.Contains("(q_proj", e.Message);
    }

    [Fact]
    public void SettingsWithoutAPatternSerialiseAsBeforePatternsExisted()
    {
        // A run's fingerprint hashes its settings' JSON: a run started before TargetPattern existed must still resume.
        Assert.Equal(
            """{"Rank":8,"Alpha":32,"Dropout":0.05,"TargetModules":["q_proj","v_proj"],"Scale":4}""",
            System.Text.Json.JsonSerializer.Serialize(new LoraSettings()));
        Assert.Contains("\"TargetPattern\":\"all-linear\"", System.Text.Json.JsonSerializer.Serialize(new LoraSettings { TargetPattern = LoraTargets.AllLinear }));
    }
}

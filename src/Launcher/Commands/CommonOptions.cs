using System.CommandLine;
using System.Globalization;
using RecurrentKif.Actors.Settings;
using RecurrentKif.Gpu.Pretraining;
using RecurrentKif.Launcher.Terminal;

namespace RecurrentKif.Launcher.Commands;

/// <summary>
/// Options several commands share, so they are spelled and documented the same everywhere. Each is also an rkif.* key;
/// with <c>withDefault</c> its default is that key's in hocon/reference.conf (the one home of defaults), without it the
/// option has none and <see cref="SettingFlags"/> turns it into an override of the key when it is given.
/// </summary>
public static class CommonOptions
{
    public static Option<string> Model(bool withDefault = true) => Keyed<string>("--model",
        "Hugging Face LLaMA folder (config.json + safetensors + tokenizer), 'builtin' for the embedded default model, or 'benchmark' for the shipped benchmark model (docs/benchmark.md)",
        "model", withDefault);

    public static Option<string> DataRoot(bool withDefault = true) =>
        Keyed<string>("--data-root", "Where RecurrentKif keeps the built-in model, generated tasks and run outputs", "data-root", withDefault);

    public static Option<string> Device(bool withDefault = true) =>
        Keyed<string>("--device", "auto (CUDA if available, else CPU), cpu, cuda or cuda:N", "device", withDefault);

    public static Option<bool> Bf16() => new("--bf16")
    {
        Description = "Keep the frozen base weights in bfloat16 (LoRA stays fp32)",
    };

    public static Option<int> Threads(bool withDefault = true) =>
        Keyed<int>("--threads", "CPU threads for libtorch (0 = one per core)", "threads", withDefault);

    public static Option<long> Seed(bool withDefault = true) =>
        Keyed<long>("--seed", "Seed for LoRA initialisation, dropout and data order", "seed", withDefault);

    /// <summary>An option for rkif.<paramref name="key"/>, defaulting (if at all) to reference.conf's value, read when first asked for.</summary>
    private static Option<T> Keyed<T>(string name, string description, string key, bool withDefault)
    {
        var option = new Option<T>(name) { Description = description };
        if (withDefault)
            option.DefaultValueFactory = _ => (T)Convert.ChangeType(RunConfigurationLoader.Reference.GetString("rkif." + key), typeof(T), CultureInfo.InvariantCulture);
        return option;
    }
}

/// <summary>The options that choose and load a model, shared by every command that loads one.</summary>
public sealed class ModelOptions
{
    /// <param name="flags">
    /// Null: the options carry reference.conf's defaults (commands without a run configuration). Otherwise they have no
    /// default and are registered there as shorthands for their keys (model, data-root, device, bf16, threads).
    /// </param>
    public ModelOptions(SettingFlags? flags = null)
    {
        bool withDefault = flags is null;
        Model = CommonOptions.Model(withDefault);
        DataRoot = CommonOptions.DataRoot(withDefault);
        Device = CommonOptions.Device(withDefault);
        Bf16 = CommonOptions.Bf16();
        Threads = CommonOptions.Threads(withDefault);
        if (flags is null) return;
        flags.Add(Model, "model");
        flags.Add(DataRoot, "data-root");
        flags.Add(Device, "device");
        flags.Add(Bf16, "bf16");
        flags.Add(Threads, "threads");
    }

    public Option<string> Model { get; }
    public Option<string> DataRoot { get; }
    public Option<string> Device { get; }
    public Option<bool> Bf16 { get; }
    public Option<int> Threads { get; }

    public void AddTo(Command command)
    {
        command.Add(Model);
        command.Add(DataRoot);
        command.Add(Device);
        command.Add(Bf16);
        command.Add(Threads);
    }

    public string DataRootOf(ParseResult parse) => parse.GetValue(DataRoot)!;

    public ResolvedModel Open(ParseResult parse) =>
        ResolvedModel.Open(parse.GetValue(Model)!, parse.GetValue(DataRoot)!, parse.GetValue(Device)!, parse.GetValue(Bf16), parse.GetValue(Threads), new ProgressDisplay().Report);
}

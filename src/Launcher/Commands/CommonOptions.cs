using System.CommandLine;

namespace RecurrentKif.Launcher.Commands;

/// <summary>Options several commands share, so they are spelled and documented the same everywhere.</summary>
public static class CommonOptions
{
    public static Option<string> Model() => new("--model")
    {
        Description = "Hugging Face LLaMA folder (config.json + safetensors + tokenizer), 'builtin' for the embedded default model, or 'benchmark' for the shipped benchmark model (docs/benchmark.md)",
        DefaultValueFactory = _ => "builtin",
    };

    public static Option<string> DataRoot() => new("--data-root")
    {
        Description = "Where RecurrentKif keeps the built-in model, generated tasks and run outputs",
        DefaultValueFactory = _ => "rkif-data",
    };

    public static Option<string> Device() => new("--device")
    {
        Description = "auto (CUDA if available, else CPU), cpu, cuda or cuda:N",
        DefaultValueFactory = _ => "auto",
    };

    public static Option<bool> Bf16() => new("--bf16")
    {
        Description = "Keep the frozen base weights in bfloat16 (LoRA stays fp32)",
    };

    public static Option<int> Threads() => new("--threads")
    {
        Description = "CPU threads for libtorch (0 = one per core)",
        DefaultValueFactory = _ => 0,
    };

    public static Option<long> Seed() => new("--seed")
    {
        Description = "Seed for LoRA initialisation, dropout and data order",
        DefaultValueFactory = _ => 42,
    };
}

/// <summary>The options that choose and load a model, shared by every command that loads one.</summary>
public sealed class ModelOptions
{
    public Option<string> Model { get; } = CommonOptions.Model();
    public Option<string> DataRoot { get; } = CommonOptions.DataRoot();
    public Option<string> Device { get; } = CommonOptions.Device();
    public Option<bool> Bf16 { get; } = CommonOptions.Bf16();
    public Option<int> Threads { get; } = CommonOptions.Threads();

    public void AddTo(Command command)
    {
        command.Add(Model);
        command.Add(DataRoot);
        command.Add(Device);
        command.Add(Bf16);
        command.Add(Threads);
    }

    public string DataRootOf(ParseResult parse) => parse.GetValue(DataRoot)!;

    public ModelSession Open(ParseResult parse) =>
        ModelSession.Open(parse.GetValue(Model)!, parse.GetValue(DataRoot)!, parse.GetValue(Device)!, parse.GetValue(Bf16), parse.GetValue(Threads));
}

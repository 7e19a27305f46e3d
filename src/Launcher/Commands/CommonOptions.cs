using System.CommandLine;

namespace RecurrentKif.Launcher.Commands;

/// <summary>Options several commands share, so they are spelled and documented the same everywhere.</summary>
public static class CommonOptions
{
    public static Option<string> Model() => new("--model")
    {
        Description = "Hugging Face LLaMA folder (config.json + safetensors + tokenizer), or 'builtin' for the embedded default model",
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

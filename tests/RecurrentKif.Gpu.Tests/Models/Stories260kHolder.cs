using RecurrentKif.Gpu.Lora;
using RecurrentKif.Gpu.Models;
using RecurrentKif.Gpu.Runtime;
using RecurrentKif.Gpu.Tokenization;

namespace RecurrentKif.Gpu.Tests.Models;

/// <summary>stories260k with a seeded LoRA adapter attached and its tokenizer: what a task session needs.</summary>
internal sealed class Stories260kHolder : IDisposable
{
    public Stories260kHolder(LoraSettings lora, long seed = 5)
    {
        Model = Stories260k.FromHfFolder();
        Tokenizer = TokenizerLoader.FromModelFolder(SharedFixtures.Stories260k);
        TorchRuntime.Seed(seed);
        Adapter = Model.AttachLora(lora);
    }

    public LlamaForCausalLM Model { get; }
    public ITextTokenizer Tokenizer { get; }
    public LoraAdapter Adapter { get; }

    public void Dispose() => Model.Dispose();
}

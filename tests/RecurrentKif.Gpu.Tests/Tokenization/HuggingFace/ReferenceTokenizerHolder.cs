using RecurrentKif.Gpu.Tokenization.HuggingFace;

namespace RecurrentKif.Gpu.Tests.Tokenization.HuggingFace;

/// <summary>Both reference tokenizers, loaded once per test class (each file takes about a second to read).</summary>
public sealed class ReferenceTokenizerHolder
{
    private readonly Lazy<ByteLevelBpeTokenizer> _llama3 = new(() => ByteLevelBpeTokenizer.Load(ReferenceTokenizers.TokenizerJson(ReferenceTokenizers.Llama3)));
    private readonly Lazy<ByteLevelBpeTokenizer> _qwen = new(() => ByteLevelBpeTokenizer.Load(ReferenceTokenizers.TokenizerJson(ReferenceTokenizers.Qwen)));

    public ByteLevelBpeTokenizer Llama3 => _llama3.Value;

    public ByteLevelBpeTokenizer Qwen => _qwen.Value;

    public ByteLevelBpeTokenizer ByName(string name) => name switch
    {
        "llama3" => Llama3,
        "qwen3" => Qwen,
        _ => throw new ArgumentException($"no reference tokenizer '{name}'", nameof(name)),
    };
}

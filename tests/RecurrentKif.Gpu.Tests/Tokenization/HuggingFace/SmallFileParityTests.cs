using System.Text.Json.Nodes;
using RecurrentKif.Gpu.Tests.Data;
using RecurrentKif.Gpu.Tokenization.HuggingFace;

namespace RecurrentKif.Gpu.Tests.Tokenization.HuggingFace;

/// <summary>
/// Settings the real Llama-3 and Qwen files do not use (lstrip / rstrip and normalized added tokens, prefix space,
/// GPT-2's split inside the byte-level step, ignore_merges with unreachable pieces), each checked against Hugging
/// Face's Rust tokenizers on the random mixed-script texts.
/// </summary>
public sealed class SmallFileParityTests
{
    private static readonly SmallTokenizerJson WithMerges = new()
    {
        Merges = [("t", "h"), ("th", "e"), (" ", "the"), (" ", "a"), ("e", "r"), ("1", "2"), ("'", "s"), ("\n", "\n"), (" ", " "), ("  ", "  ")],
        ExtraPieces = ["there", " cat", "中文"],
    };

    public static TheoryData<string> Variants => ["plain", "ignore-merges", "nfc", "stripping-tokens", "normalized-token", "gpt2-prefix-space", "gpt2-no-prefix"];

    private static SmallTokenizerJson Variant(string name) => name switch
    {
        "plain" => WithMerges.WithAddedToken("<|im_end|>").WithAddedToken("<think>", special: false),
        "ignore-merges" => WithMerges with { IgnoreMerges = true },
        "nfc" => (WithMerges with { Normalizer = new JsonObject { ["type"] = "NFC" } }).WithAddedToken("<|endoftext|>"),
        "stripping-tokens" => WithMerges.WithAddedToken("<|im_end|>", lstrip: true).WithAddedToken("<|im_start|>", rstrip: true)
            .WithAddedToken("<think>", special: false, lstrip: true, rstrip: true),
        "normalized-token" => (WithMerges with { Normalizer = new JsonObject { ["type"] = "NFC" } }).WithAddedToken("é!", special: false, normalized: true),
        "gpt2-prefix-space" => WithMerges with { SplitPattern = null, AddPrefixSpace = true, ByteLevelUseRegex = true },
        "gpt2-no-prefix" => (WithMerges with { SplitPattern = null, ByteLevelUseRegex = true }).WithAddedToken("<|endoftext|>"),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void Encodes_random_texts_as_huggingface_does(string variant)
    {
        using var folder = new TempDirectory();
        string path = Variant(variant).Write(folder.Path);
        var ours = ByteLevelBpeTokenizer.Load(path);
        using var huggingFace = new Tokenizers.DotNet.Tokenizer(path);
        foreach (string text in MixedScriptTexts.Make(300, seed: 11).Append("x  <|im_end|>  y").Append(" <think>\n\nz").Append("ae\u0301!"))
        {
            int[] expected = huggingFace.Encode(text).Select(id => (int)id).ToArray();
            var actual = ours.Encode(text, addBos: false);
            Assert.True(expected.SequenceEqual(actual), $"{variant}: '{text}' gives [{string.Join(",", actual)}], Hugging Face [{string.Join(",", expected)}]");
        }
    }
}

using System.Security.Cryptography;
using System.Text.Json;
using RecurrentKif.Gpu.Tokenization.HuggingFace;

namespace RecurrentKif.Gpu.Tests.Tokenization.HuggingFace;

/// <summary>
/// The real Llama-3 and Qwen tokenizer.json files encode a fixed multilingual text (English, accents, decomposed
/// accents, CJK, Korean, emoji, letters outside the BMP, digits, white-space runs, special and added tokens) to the
/// ids a JavaScript port of Hugging Face's tokenizers gave (reference-ids.json, made by make-reference-ids.mjs;
/// Hugging Face's Rust tokenizers give the same ids, see <see cref="RustTokenizersParityTests"/>).
/// </summary>
public sealed class GoldenReferenceIdsTests(ReferenceTokenizerHolder tokenizers) : IClassFixture<ReferenceTokenizerHolder>
{
    private static readonly JsonElement Reference =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Tokenization", "HuggingFace", "reference-ids.json"))).RootElement;

    public static string Text => Reference.GetProperty("text").GetString()!;

    public static int[] ReferenceIds(string name) => Entry(name).GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();

    private static JsonElement Entry(string name) =>
        Reference.GetProperty("tokenizers").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);

    [Theory]
    [InlineData("llama3")]
    [InlineData("qwen3")]
    public void The_cached_file_is_the_one_the_reference_ids_were_made_with(string name)
    {
        string path = ReferenceTokenizers.TokenizerJson(ReferenceTokenizers.Folder(name));
        string sha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
        Assert.Equal(Entry(name).GetProperty("tokenizerJsonSha256").GetString(), sha256);
    }

    [Theory]
    [InlineData("llama3")]
    [InlineData("qwen3")]
    public void Fixed_multilingual_text_encodes_to_the_reference_ids(string name)
    {
        Assert.Equal(ReferenceIds(name), tokenizers.ByName(name).Encode(Text, addBos: false));
    }

    /// <summary>The reference decoding keeps special tokens; ITextTokenizer drops BOS, EOS and pad, which the text spells.</summary>
    [Theory]
    [InlineData("llama3", "<|begin_of_text|>", "<|end_of_text|>")]
    [InlineData("qwen3", "<|im_end|>", "<|endoftext|>")]
    public void Reference_ids_decode_to_the_reference_text_without_BOS_EOS_and_pad(string name, string dropped1, string dropped2)
    {
        int[] ids = ReferenceIds(name);
        string expected = Entry(name).GetProperty("decoded").GetString()!.Replace(dropped1, "").Replace(dropped2, "");
        Assert.Equal(expected, tokenizers.ByName(name).Decode(ids));
    }

    [Fact]
    public void Llama3_decodes_the_text_back_exactly_and_Qwen_to_its_NFC_form()
    {
        string withoutLlamaSpecials = Text.Replace("<|begin_of_text|>", "").Replace("<|end_of_text|>", "");
        Assert.Equal(withoutLlamaSpecials, tokenizers.Llama3.Decode(tokenizers.Llama3.Encode(Text, addBos: false)));

        string withoutQwenSpecials = Text.Replace("<|endoftext|>", "").Replace("<|im_end|>", "");
        Assert.NotEqual(withoutQwenSpecials, UnicodeNfc.Normalize(withoutQwenSpecials)); // the text has a decomposed é
        Assert.Equal(UnicodeNfc.Normalize(withoutQwenSpecials), tokenizers.Qwen.Decode(tokenizers.Qwen.Encode(Text, addBos: false)));
    }

    [Fact]
    public void Special_tokens_come_from_tokenizer_config_json()
    {
        var llama = tokenizers.Llama3;
        Assert.Equal((128256, 128000, 128001, 128001), (llama.VocabSize, llama.BosId, llama.EosId, llama.PadId));
        Assert.Equal([128000, 9906], llama.Encode("Hello", addBos: true));

        // Qwen: no BOS (bos_token null), EOS <|im_end|>, pad <|endoftext|>.
        var qwen = tokenizers.Qwen;
        Assert.Equal((151669, -1, 151645, 151643), (qwen.VocabSize, qwen.BosId, qwen.EosId, qwen.PadId));
        Assert.False(((Gpu.Tokenization.ITextTokenizer)qwen).HasBos);
        // Without a BOS token, a sequence starts with the text itself (Hugging Face's add_special_tokens does the same).
        Assert.Equal([9707], qwen.Encode("Hello", addBos: true));
    }
}

using System.Text.Json.Nodes;
using RecurrentKif.Gpu.Tests.Data;
using RecurrentKif.Gpu.Tokenization.HuggingFace;

namespace RecurrentKif.Gpu.Tests.Tokenization.HuggingFace;

/// <summary>Each step of the tokenizer.json pipeline on small files whose right answer can be worked out by hand.</summary>
public sealed class ByteLevelBpeTokenizerTests
{
    private static ByteLevelBpeTokenizer Load(SmallTokenizerJson file, string? eosToken = null, string? bosToken = null)
    {
        using var folder = new TempDirectory();
        return ByteLevelBpeTokenizer.Load(file.Write(folder.Path, eosToken, bosToken));
    }

    private static int[] Bytes(string text) => System.Text.Encoding.UTF8.GetBytes(text).Select(b => (int)b).ToArray();

    [Fact]
    public void Without_merges_every_byte_is_its_own_piece()
    {
        var tokenizer = Load(new SmallTokenizerJson());
        Assert.Equal(Bytes("héllo 😀"), tokenizer.Encode("héllo 😀", addBos: false));
    }

    [Fact]
    public void The_earlier_merge_rule_wins_whatever_its_position_in_the_word()
    {
        var abFirst = new SmallTokenizerJson { Merges = [("a", "b"), ("b", "c")] };
        Assert.Equal([abFirst.IdOf("ab"), 'c'], Load(abFirst).Encode("abc", addBos: false));
        var bcFirst = new SmallTokenizerJson { Merges = [("b", "c"), ("a", "b")] };
        Assert.Equal(['a', bcFirst.IdOf("bc")], Load(bcFirst).Encode("abc", addBos: false));
    }

    [Fact]
    public void Overlapping_pairs_of_one_rule_merge_leftmost_first_and_merged_pieces_merge_again()
    {
        var file = new SmallTokenizerJson { Merges = [("a", "a"), ("aa", "aa")] };
        var tokenizer = Load(file);
        Assert.Equal([file.IdOf("aa"), 'a'], tokenizer.Encode("aaa", addBos: false));
        Assert.Equal([file.IdOf("aaaa"), 'a'], tokenizer.Encode("aaaaa", addBos: false));
    }

    [Fact]
    public void Ignore_merges_takes_a_word_that_is_a_piece_whole()
    {
        // "xyz" is a piece no merge sequence reaches: only x+y merges.
        var file = new SmallTokenizerJson { Merges = [("x", "y")], ExtraPieces = ["xyz"] };
        Assert.Equal([file.IdOf("xy"), 'z'], Load(file).Encode("xyz", addBos: false));
        Assert.Equal([file.IdOf("xyz")], Load(file with { IgnoreMerges = true }).Encode("xyz", addBos: false));
    }

    [Fact]
    public void Llama3_split_keeps_a_space_with_the_following_word_and_apart_from_digits()
    {
        var file = new SmallTokenizerJson { Merges = [(" ", "a"), ("1", "2"), ("12", "3")], IgnoreMerges = false };
        var tokenizer = Load(file);
        // " a" is one pre-token (space + letters); "1234" splits as "123" + "4" (\p{N}{1,3}).
        Assert.Equal([file.IdOf(" a"), file.IdOf("123"), '4'], tokenizer.Encode(" a1234", addBos: false));
        // "a a": "a" and " a" are pre-tokens; the merge " a" never crosses a pre-token border: "a" + " a".
        Assert.Equal(['a', file.IdOf(" a")], tokenizer.Encode("a a", addBos: false));
    }

    [Fact]
    public void Split_pattern_sees_letters_and_digits_outside_the_BMP_as_letters_and_digits()
    {
        // To .NET's regex alone "𝐀" is two surrogates, not \p{L}, and "𝟙" not \p{N}; Hugging Face matches code points.
        var pieces = new List<string>();
        new IsolatingRegexSplit(SmallTokenizerJson.Llama3Split).Split("a𝐀 𠀀b 𝟙𝟚𝟛𝟜 😀😀", pieces);
        Assert.Equal(["a𝐀", " 𠀀b", " ", "𝟙𝟚𝟛", "𝟜", " 😀😀"], pieces);
    }

    [Fact]
    public void The_longest_added_token_at_the_leftmost_place_wins()
    {
        var file = new SmallTokenizerJson().WithAddedToken("<a>").WithAddedToken("<a>b").WithAddedToken("b>");
        int a = file.FirstAddedId, ab = a + 1;
        var tokenizer = Load(file);
        Assert.Equal([a, 'x'], tokenizer.Encode("<a>x", addBos: false));
        Assert.Equal([ab, '>'], tokenizer.Encode("<a>b>", addBos: false));
        Assert.Equal(['<', 'x', a + 2], tokenizer.Encode("<xb>", addBos: false));
    }

    [Fact]
    public void Lstrip_and_rstrip_tokens_take_the_white_space_beside_them()
    {
        var file = new SmallTokenizerJson().WithAddedToken("<m>", lstrip: true, rstrip: true).WithAddedToken("<k>");
        int m = file.FirstAddedId, k = m + 1;
        var tokenizer = Load(file);
        Assert.Equal(['x', m, 'y'], tokenizer.Encode("x  <m> \n y", addBos: false));
        Assert.Equal(['x', ' ', k, ' ', 'y'], tokenizer.Encode("x <k> y", addBos: false));
    }

    [Fact]
    public void NFC_normalizer_composes_before_splitting_and_merging_but_not_inside_raw_added_tokens()
    {
        var nfc = new SmallTokenizerJson { Normalizer = new JsonObject { ["type"] = "NFC" } };
        Assert.Equal(Bytes("é"), Load(nfc).Encode("e\u0301", addBos: false));
        Assert.Equal(Bytes("e\u0301"), Load(new SmallTokenizerJson()).Encode("e\u0301", addBos: false));

        // A normalized added token is looked for in the normalized text: "<é>" written decomposed still matches.
        var withToken = nfc.WithAddedToken("<é>", normalized: true);
        Assert.Equal([withToken.FirstAddedId], Load(withToken).Encode("<e\u0301>", addBos: false));
    }

    [Fact]
    public void Byte_level_prefix_space_goes_before_each_piece_then_gpt2_split_cuts()
    {
        var file = new SmallTokenizerJson { SplitPattern = null, AddPrefixSpace = true, ByteLevelUseRegex = true, Merges = [(" ", "a"), (" ", "b")] };
        // " a\nb" splits as " a", "\n", "b": only the text's start gets the space.
        Assert.Equal([file.IdOf(" a"), '\n', 'b'], Load(file).Encode("a\nb", addBos: false));
    }

    [Fact]
    public void Decoding_joins_bytes_across_pieces_and_replaces_invalid_utf8()
    {
        var file = new SmallTokenizerJson { Merges = [(" ", "a")] }.WithAddedToken("<|x y|>");
        var tokenizer = Load(file, eosToken: "<|x y|>");
        byte[] snowman = System.Text.Encoding.UTF8.GetBytes("☃");
        Assert.Equal(" a☃", tokenizer.Decode([file.IdOf(" a"), snowman[0], snowman[1], snowman[2]]));
        Assert.Equal("a\uFFFD", tokenizer.Decode(['a', snowman[0], snowman[1]]));
        Assert.Equal("ab", tokenizer.Decode(['a', file.FirstAddedId, 'b'])); // EOS is dropped
        Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.Decode([file.FirstAddedId + 1]));
    }

    [Fact]
    public void Added_token_with_a_space_decodes_as_its_own_text()
    {
        var file = new SmallTokenizerJson().WithAddedToken("<e>").WithAddedToken("x y", special: false);
        var tokenizer = Load(file, eosToken: "<e>");
        Assert.Equal([file.FirstAddedId + 1], tokenizer.Encode("x y", addBos: false));
        Assert.Equal("-x y-", tokenizer.Decode(['-', file.FirstAddedId + 1, '-']));
    }

    [Fact]
    public void Bos_eos_and_pad_come_from_tokenizer_config_json()
    {
        var file = new SmallTokenizerJson().WithAddedToken("<s>").WithAddedToken("</s>");
        var tokenizer = Load(file, eosToken: "</s>", bosToken: "<s>");
        int bos = file.FirstAddedId, eos = bos + 1;
        Assert.Equal((bos, eos, eos), (tokenizer.BosId, tokenizer.EosId, tokenizer.PadId));
        Assert.Equal([bos, 'h', 'i'], tokenizer.Encode("hi", addBos: true));
        Assert.Equal(file.FirstAddedId + 2, tokenizer.VocabSize);
    }
}

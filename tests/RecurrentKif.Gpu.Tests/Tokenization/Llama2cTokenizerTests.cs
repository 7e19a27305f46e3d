using System.Text;
using RecurrentKif.Gpu.Tokenization;

namespace RecurrentKif.Gpu.Tests.Tokenization;

public sealed class Llama2cTokenizerTests
{
    private static readonly Llama2cTokenizer Tokenizer = Llama2cTokenizer.Load(TokenizerTestTexts.Stories260kTokenizerBin);

    [Fact]
    public void Stories260k_has_512_pieces_and_llama2c_special_ids()
    {
        Assert.Equal(512, Tokenizer.VocabSize);
        Assert.Equal(1, Tokenizer.BosId);
        Assert.Equal(2, Tokenizer.EosId);
        Assert.Equal(0, Tokenizer.PadId);
    }

    [Fact]
    public void Encode_prepends_bos_only_when_asked_and_never_appends_eos()
    {
        IReadOnlyList<int> withBos = Tokenizer.Encode(TokenizerTestTexts.GoldenOpening, addBos: true);
        IReadOnlyList<int> withoutBos = Tokenizer.Encode(TokenizerTestTexts.GoldenOpening, addBos: false);

        Assert.Equal(1, withBos[0]);
        Assert.Equal(withoutBos, withBos.Skip(1));
        Assert.DoesNotContain(1, withoutBos);
        Assert.DoesNotContain(2, withBos);
        Assert.Equal([1], Tokenizer.Encode("", addBos: true));
        Assert.Empty(Tokenizer.Encode("", addBos: false));
    }

    [Theory]
    [InlineData(TokenizerTestTexts.GoldenOpening)]
    [InlineData("café – naïve 😀")]
    [InlineData("  leading spaces, tabs\tand\nnew lines ")]
    [InlineData("日本語 and 中文")]
    public void Decode_of_encode_gives_back_the_text(string text)
    {
        Assert.Equal(text, Tokenizer.Decode(Tokenizer.Encode(text, addBos: true)));
        Assert.Equal(text, Tokenizer.Decode(Tokenizer.Encode(text, addBos: false)));
    }

    [Fact]
    public void Decode_drops_bos_eos_and_padding()
    {
        List<int> ids = [0, 0, .. Tokenizer.Encode("Lily", addBos: true), 2, 0];
        Assert.Equal("Lily", Tokenizer.Decode(ids));
    }

    [Fact]
    public void Characters_missing_from_the_vocabulary_fall_back_to_their_utf8_bytes()
    {
        // 😀 is U+1F600, UTF-8 F0 9F 98 80; stories260k has no piece for it.
        IReadOnlyList<int> ids = Tokenizer.Encode("😀", addBos: false);
        byte[] utf8 = Encoding.UTF8.GetBytes("😀");
        Assert.Equal(utf8.Select(b => b + 3), ids.Skip(ids.Count - utf8.Length));
        Assert.All(ids.Skip(ids.Count - utf8.Length), id => Assert.InRange(id, 3, 258));
    }

    [Fact]
    public void English_text_is_merged_into_fewer_tokens_than_bytes()
    {
        IReadOnlyList<int> ids = Tokenizer.Encode(TokenizerTestTexts.GoldenOpening, addBos: false);
        Assert.True(ids.Count < Encoding.UTF8.GetByteCount(TokenizerTestTexts.GoldenOpening) / 2,
            $"{ids.Count} tokens for {TokenizerTestTexts.GoldenOpening.Length} characters: merges are not happening");
        Assert.All(ids, id => Assert.InRange(id, 259, 511));
    }

    [Fact]
    public void Encoding_matches_a_naive_reference_on_varied_texts()
    {
        var reference = new NaiveBpeReference(TokenizerTestTexts.Stories260kTokenizerBin);
        foreach (string text in TokenizerTestTexts.All)
        {
            Assert.True(reference.Encode(text).SequenceEqual(Tokenizer.Encode(text, addBos: false)),
                $"ids differ from the reference for \"{text}\"");
        }
    }

    [Fact]
    public void All_varied_texts_round_trip()
    {
        foreach (string text in TokenizerTestTexts.All)
        {
            // Lone surrogates cannot survive UTF-8; none of the texts has one.
            Assert.Equal(text, Tokenizer.Decode(Tokenizer.Encode(text, addBos: true)));
        }
    }

    [Fact]
    public void Decode_rejects_ids_outside_the_vocabulary()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Tokenizer.Decode([512]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tokenizer.Decode([-1]));
    }
}

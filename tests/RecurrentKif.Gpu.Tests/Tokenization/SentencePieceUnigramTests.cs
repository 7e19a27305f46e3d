using RecurrentKif.Gpu.Tokenization;
using static RecurrentKif.Gpu.Tests.Tokenization.SentencePieceModelWriter;

namespace RecurrentKif.Gpu.Tests.Tokenization;

/// <summary>
/// Tiny hand-made Unigram models laid out like T5's spiece.model (pad 0, EOS 1, unk 2, no byte fallback),
/// since no real Unigram model is available offline.
/// </summary>
public sealed class SentencePieceUnigramTests
{
    private const int AbWithSpace = 8, C = 7;

    private static readonly Piece[] Pieces =
    [
        new("<pad>", 0, PieceType.Control),
        new("</s>", 0, PieceType.Control),
        new("<unk>", 0, PieceType.Unknown),
        new("<s>", 0, PieceType.Control),
        new("\u2581", -2, PieceType.Normal),
        new("a", -3, PieceType.Normal),
        new("b", -3, PieceType.Normal),
        new("c", -3, PieceType.Normal),
        new("\u2581ab", -1, PieceType.Normal),
        new("\u2581a", -2.5f, PieceType.Normal),
        new("bc", -2, PieceType.Normal),
    ];

    private static SentencePieceTextTokenizer Load(int bosId) => SentencePieceTextTokenizer.FromStream(
        new MemoryStream(Write(Pieces, ModelType.Unigram, new Specials(UnkId: 2, BosId: bosId, EosId: 1, PadId: 0), byteFallback: false)),
        "unigram-test.model");

    private static readonly SentencePieceTextTokenizer Tokenizer = Load(bosId: 3);

    [Fact]
    public void Special_ids_come_from_the_model()
    {
        Assert.Equal(11, Tokenizer.VocabSize);
        Assert.Equal(3, Tokenizer.BosId);
        Assert.Equal(1, Tokenizer.EosId);
        Assert.Equal(0, Tokenizer.PadId);
    }

    [Fact]
    public void Unigram_picks_the_most_probable_segmentation_and_never_appends_eos()
    {
        // "▁abc": ▁ab + c scores -4, better than ▁a + bc (-4.5) or ▁ + a + bc (-7).
        Assert.Equal([AbWithSpace, AbWithSpace, C], Tokenizer.Encode("ab abc", addBos: false));
        Assert.Equal([3, AbWithSpace, AbWithSpace, C], Tokenizer.Encode("ab abc", addBos: true));
    }

    [Fact]
    public void Decode_drops_bos_eos_and_padding()
    {
        Assert.Equal("ab abc", Tokenizer.Decode([3, AbWithSpace, AbWithSpace, C, 1, 0, 0]));
    }

    [Fact]
    public void Model_without_bos_like_t5_loads_and_segments_the_same()
    {
        var t5Like = Load(bosId: -1);
        Assert.Equal(-1, t5Like.BosId);
        Assert.False(((ITextTokenizer)t5Like).HasBos);
        Assert.Equal(1, t5Like.EosId);
        Assert.Equal(0, t5Like.PadId);
        Assert.Equal(11, t5Like.VocabSize);
        Assert.Equal(Tokenizer.Encode("ab abc", addBos: false), t5Like.Encode("ab abc", addBos: false));
        Assert.Equal("ab abc", t5Like.Decode([AbWithSpace, AbWithSpace, C, 1, 0]));
        var error = Assert.Throws<InvalidOperationException>(() => t5Like.Encode("ab", addBos: true));
        Assert.Contains("no BOS", error.Message);
    }
}

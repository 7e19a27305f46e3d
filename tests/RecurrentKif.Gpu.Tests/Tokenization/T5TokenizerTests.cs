using RecurrentKif.Gpu.Tokenization;
using static RecurrentKif.Gpu.Tests.Tokenization.SentencePieceModelWriter;

namespace RecurrentKif.Gpu.Tests.Tokenization;

/// <summary>
/// T5-layout Unigram models (pad 0, EOS 1, unk 2, no BOS) through Microsoft.ML.Tokenizers, checked against an
/// independent Viterbi segmentation written here (no real spiece.model is reachable offline): random vocabularies
/// with random scores, random texts.
/// </summary>
public sealed class T5TokenizerTests
{
    private const string Space = "\u2581";

    private static (Piece[] Pieces, byte[] Model) RandomUnigramModel(int seed)
    {
        var random = new Random(seed);
        var pieces = new List<Piece> { new("<pad>", 0, PieceType.Control), new("</s>", 0, PieceType.Control), new("<unk>", 0, PieceType.Unknown) };
        var seen = new HashSet<string>();
        float Score() => -1 - (float)random.NextDouble() * 9;
        foreach (string single in new[] { Space, "a", "b", "c", "d", "e" })
        {
            pieces.Add(new Piece(single, -9 - (float)random.NextDouble(), PieceType.Normal));
            seen.Add(single);
        }
        while (pieces.Count < 70)
        {
            int length = random.Next(2, 5);
            string text = (random.Next(3) == 0 ? Space : "") + new string(Enumerable.Range(0, length).Select(_ => "abcde"[random.Next(5)]).ToArray());
            if (seen.Add(text)) pieces.Add(new Piece(text, Score(), PieceType.Normal));
        }
        return (pieces.ToArray(), Write(pieces, ModelType.Unigram, new Specials(UnkId: 2, BosId: -1, EosId: 1, PadId: 0), byteFallback: false));
    }

    /// <summary>
    /// The highest-scoring segmentation of "▁" + text with spaces as "▁" (SentencePiece's normalisation here).
    /// Equal-score segmentations exist ("ddd" = d + dd = dd + d); like SentencePiece's lattice, the sweep goes by
    /// start position and only a strictly better score replaces a path, so the earliest-starting last piece wins.
    /// Path scores are float sums, as in SentencePiece, so which of two such paths is higher follows float rounding.
    /// </summary>
    private static List<int> Viterbi(Piece[] pieces, string text)
    {
        string normalized = Space + text.Replace(" ", Space, StringComparison.Ordinal);
        var best = new float[normalized.Length + 1];
        var from = new (int Start, int Piece)[normalized.Length + 1];
        Array.Fill(best, float.NegativeInfinity);
        best[0] = 0;
        for (int start = 0; start < normalized.Length; start++)
        {
            if (!float.IsFinite(best[start])) continue;
            for (int id = 0; id < pieces.Length; id++)
            {
                string piece = pieces[id].Text;
                if (pieces[id].Type != PieceType.Normal || start + piece.Length > normalized.Length) continue;
                if (string.CompareOrdinal(normalized, start, piece, 0, piece.Length) != 0) continue;
                int end = start + piece.Length;
                float score = best[start] + pieces[id].Score;
                if (score > best[end]) (best[end], from[end]) = (score, (start, id));
            }
        }
        var ids = new List<int>();
        for (int end = normalized.Length; end > 0; end = from[end].Start) ids.Insert(0, from[end].Piece);
        return ids;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Unigram_encoding_equals_an_independent_viterbi(int seed)
    {
        var (pieces, model) = RandomUnigramModel(seed);
        var tokenizer = SentencePieceTextTokenizer.FromStream(new MemoryStream(model), "random-unigram.model");
        var random = new Random(seed * 100);
        int multiPieceSegmentations = 0;
        for (int sample = 0; sample < 200; sample++)
        {
            string text = string.Join(' ', Enumerable.Range(0, random.Next(1, 5))
                .Select(_ => new string(Enumerable.Range(0, random.Next(1, 8)).Select(_ => "abcde"[random.Next(5)]).ToArray())));
            var expected = Viterbi(pieces, text);
            Assert.True(expected.SequenceEqual(tokenizer.Encode(text, addBos: false)), $"'{text}': expected [{string.Join(",", expected)}], got [{string.Join(",", tokenizer.Encode(text, addBos: false))}]");
            Assert.Equal(text, tokenizer.Decode(expected));
            if (expected.Any(id => pieces[id].Text.Length > 1)) multiPieceSegmentations++;
        }
        Assert.True(multiPieceSegmentations > 100, "the vocabulary should make most segmentations use multi-character pieces");
    }

    [Fact]
    public void Sentinel_ids_after_the_pieces_decode_as_extra_ids()
    {
        var (pieces, model) = RandomUnigramModel(1);
        var tokenizer = SentencePieceTextTokenizer.FromStream(new MemoryStream(model), "random-unigram.model", extraIds: 100);
        Assert.Equal(pieces.Length + 100, tokenizer.VocabSize);
        var abc = Viterbi(pieces, "abc");
        int last = tokenizer.VocabSize - 1;
        Assert.Equal("abc<extra_id_0>abc<extra_id_99>", tokenizer.Decode([.. abc, last, .. abc, pieces.Length, 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.Decode([tokenizer.VocabSize]));
    }

    [Fact]
    public void Spiece_model_in_a_folder_gets_t5_sentinels_unless_tokenizer_config_says_otherwise()
    {
        var (pieces, model) = RandomUnigramModel(2);
        string folder = Directory.CreateTempSubdirectory("rkif-t5tok-").FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(folder, "spiece.model"), model);
            Assert.Equal(pieces.Length + 100, TokenizerLoader.FromModelFolder(folder).VocabSize);
            File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), """{"extra_ids": 0, "model_max_length": 512}""");
            var tokenizer = TokenizerLoader.FromModelFolder(folder);
            Assert.Equal(pieces.Length, tokenizer.VocabSize);
            Assert.Equal(-1, tokenizer.BosId);
            Assert.Equal(1, tokenizer.EosId);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

using RecurrentKif.Gpu.Tests.Data;
using RecurrentKif.Gpu.Tokenization;

namespace RecurrentKif.Gpu.Tests.Tokenization;

public sealed class BpeVocabularyTrainerTests
{
    private static readonly string[] Corpus =
    [
        "Title: Storm hits the coast\nText: A storm hit the coast on Monday, and 3,400 homes lost power.",
        "Title: Team wins the final\nText: The team won the final 3-1; its coach praised the defence.",
        "Title: Shares fall\nText: Shares in the company fell 12% after the report. Analysts expect more falls.",
        "Title: New phone\nText: The company showed a new phone with a faster chip and a larger screen.",
    ];

    private static IEnumerable<string> RepeatedCorpus => Enumerable.Repeat(Corpus, 20).SelectMany(c => c);

    [Fact]
    public void TheMostFrequentPairIsMergedFirstAndScoredHighest()
    {
        // Chunks " ab" ×4 and " cd": (' ', a) and (a, b) both occur 4 times; the tie goes to the older symbols
        // (' ' is the most frequent character), so " a" comes first, then " ab"; pairs seen once are never merged.
        var pieces = BpeVocabularyTrainer.Train(["ab ab ab ab cd"], vocabularySize: 300, minCharacterCount: 1);
        var merged = pieces.Skip(259).Where(p => p.Piece.Length > 1).ToList();
        Assert.Equal([(" a", 0f), (" ab", -1f)], merged);
        Assert.Equal([" ", "a", "b", "c", "d"], pieces.Skip(259).Where(p => p.Piece.Length == 1).Select(p => p.Piece));
        // By default a character seen once gets no piece (the encoder spells it in bytes).
        Assert.DoesNotContain(BpeVocabularyTrainer.Train(["ab ab ab ab cd"], vocabularySize: 300), p => p.Piece == "c");
    }

    [Fact]
    public void TheVocabularyHasTheAskedSizeAndStaysInsideChunks()
    {
        var pieces = BpeVocabularyTrainer.Train(RepeatedCorpus, vocabularySize: 400);
        Assert.Equal(400, pieces.Count);
        Assert.Equal(Llama2cTokenizerWriter.StandardPrefix, pieces.Take(259));
        foreach (var (piece, _) in pieces.Skip(259))
        {
            Assert.DoesNotContain(' ', piece[1..]);
            string body = piece.TrimStart(' ');
            // A piece is letters, digits or punctuation, never a mix: the encoder cannot merge across words.
            Assert.True(body.All(char.IsLetter) || body.All(char.IsDigit) || body.All(c => !char.IsLetterOrDigit(c)), $"piece '{piece}' mixes kinds");
        }
        var scores = pieces.Skip(259).Where(p => p.Piece.Length > 1).Select(p => p.Score).ToList();
        Assert.Equal(scores.OrderByDescending(s => s), scores);
        Assert.Equal(scores.Count, scores.Distinct().Count());
    }

    [Fact]
    public void TheTrainedFileEncodesLikeTheReferenceAndRoundTrips()
    {
        using var temp = new TempDirectory();
        string path = Path.Combine(temp.Path, "tokenizer.bin");
        File.WriteAllBytes(path, BpeVocabularyTrainer.TrainFile(RepeatedCorpus, vocabularySize: 420));
        var tokenizer = Llama2cTokenizer.Load(path);
        var reference = new NaiveBpeReference(path);
        foreach (string text in Corpus.Append("An unseen text: Zürich's café, 7 ½ hours!"))
        {
            var ids = tokenizer.Encode(text, addBos: false);
            Assert.Equal(reference.Encode(text), ids);
            Assert.Equal(text, tokenizer.Decode(ids));
        }
        // Frequent words end as one piece, with their space.
        Assert.Single(tokenizer.Encode("the", addBos: false));
        Assert.True(tokenizer.Encode(Corpus[2], addBos: false).Count < Corpus[2].Length / 2);
    }

    [Fact]
    public void TrainingIsDeterministic()
    {
        Assert.Equal(BpeVocabularyTrainer.TrainFile(RepeatedCorpus, 380), BpeVocabularyTrainer.TrainFile(RepeatedCorpus, 380));
    }

    [Fact]
    public void ATooSmallVocabularyIsRefusedWithTheNeededSize()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => BpeVocabularyTrainer.Train(RepeatedCorpus, vocabularySize: 270));
        Assert.Contains("needs at least", error.Message);
    }
}

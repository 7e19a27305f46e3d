using RecurrentKif.Gpu.Tokenization;

namespace RecurrentKif.Gpu.Tests.Tokenization;

public sealed class Llama2cVocabularyTests
{
    private static byte[] RealFile => File.ReadAllBytes(TokenizerTestTexts.Stories260kTokenizerBin);

    [Fact]
    public void Reads_pieces_and_scores_of_stories260k()
    {
        Llama2cVocabulary vocabulary = Llama2cVocabulary.Load(TokenizerTestTexts.Stories260kTokenizerBin);
        Assert.Equal(512, vocabulary.Count);
        Assert.Equal("<unk>"u8.ToArray(), vocabulary.Piece(0).ToArray());
        Assert.Equal("<0x41>"u8.ToArray(), vocabulary.Piece(3 + 0x41).ToArray());
        Assert.Equal(0x41, vocabulary.ByteValueOf(3 + 0x41));
        Assert.Equal(-1, vocabulary.ByteValueOf(300));
        Assert.Equal(" t"u8.ToArray(), vocabulary.Piece(259).ToArray());
        Assert.Equal(-1f, vocabulary.Score(260));
    }

    [Fact]
    public void Missing_file_error_names_the_path()
    {
        string path = Path.Combine(Path.GetTempPath(), "no-such-folder-" + Guid.NewGuid(), "tokenizer.bin");
        var error = Assert.Throws<FileNotFoundException>(() => Llama2cVocabulary.Load(path));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Truncated_file_error_names_the_source_and_the_piece()
    {
        byte[] truncated = RealFile[..^3];
        var error = Assert.Throws<InvalidDataException>(() => Llama2cVocabulary.Parse(truncated, "cut.bin"));
        Assert.Contains("cut.bin", error.Message);
        Assert.Contains("piece 511", error.Message);
    }

    [Fact]
    public void Header_only_file_is_rejected()
    {
        var error = Assert.Throws<InvalidDataException>(() => Llama2cVocabulary.Parse(RealFile[..2], "tiny.bin"));
        Assert.Contains("tiny.bin", error.Message);
    }

    [Fact]
    public void Wrong_vocab_size_is_reported_in_both_directions()
    {
        Assert.Equal(512, Llama2cVocabulary.Parse(RealFile, "ok.bin", vocabSize: 512).Count);
        Assert.Contains("remain", Assert.Throws<InvalidDataException>(() => Llama2cVocabulary.Parse(RealFile, "x.bin", 300)).Message);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => Llama2cVocabulary.Parse(RealFile, "x.bin", 600)).Message);
    }

    [Fact]
    public void File_without_the_byte_fallback_layout_is_rejected()
    {
        byte[] corrupt = RealFile;
        // Piece 3 is "<0x00>" right after the header and three pieces; turn its 'x' into 'y'.
        int offset = 4;
        for (int piece = 0; piece < 3; piece++) offset += 8 + BitConverter.ToInt32(corrupt, offset + 4);
        corrupt[offset + 8 + 2] = (byte)'y';
        var error = Assert.Throws<InvalidDataException>(() => Llama2cVocabulary.Parse(corrupt, "layout.bin"));
        Assert.Contains("<0x00>", error.Message);
    }
}

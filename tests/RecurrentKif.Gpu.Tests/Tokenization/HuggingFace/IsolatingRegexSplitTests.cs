using RecurrentKif.Gpu.Tokenization.HuggingFace;

namespace RecurrentKif.Gpu.Tests.Tokenization.HuggingFace;

public sealed class IsolatingRegexSplitTests
{
    private static List<string> Split(string pattern, string text)
    {
        var pieces = new List<string>();
        new IsolatingRegexSplit(pattern).Split(text, pieces);
        return pieces;
    }

    [Fact]
    public void Matches_and_the_stretches_between_them_are_pieces_that_rebuild_the_text()
    {
        Assert.Equal(["x", "12", "y", "3", "z"], Split(@"\d+|x|y", "x12y3z"));
        string text = "It's 2025!  Café\r\n\n中文 𠀀😀";
        Assert.Equal(text, string.Concat(Split(SmallTokenizerJson.Llama3Split, text)));
    }

    [Fact]
    public void Llama3_pattern_cuts_contractions_numbers_punctuation_and_white_space()
    {
        // A white-space run before a word leaves its last space to the word; before a digit, each space stands alone.
        Assert.Equal(["I", "'M", " here", ",", " don", "'t", "  ", " go", "!!\n", " ", " ", "123", "4", "\t"],
            Split(SmallTokenizerJson.Llama3Split, "I'M here, don't   go!!\n  1234\t"));
    }
}

using RecurrentKif.Gpu.BuiltIn;
using RecurrentKif.Gpu.Tokenization;

namespace RecurrentKif.Gpu.Tests.BuiltIn;

public sealed class WordTokenizerTests
{
    private static readonly Llama2cTokenizer Tokenizer = new(Llama2cVocabulary.Parse(WordTokenizerFile.Bytes(BuiltInModel.Words), "built-in"));

    [Fact]
    public void EveryBuiltInWordIsOneTokenWithOrWithoutItsSpace()
    {
        Assert.NotEmpty(BuiltInModel.Words);
        foreach (string word in BuiltInModel.Words)
        {
            // The encoder prepends a dummy space, so "word" alone is " word"; after a newline it stays bare.
            Assert.Single(Tokenizer.Encode(word, addBos: false));
            var afterNewline = Tokenizer.Encode("\n" + word, addBos: false);
            Assert.Equal(3, afterNewline.Count); // dummy space, "\n", word
        }
    }

    [Fact]
    public void EveryLabelIsOneDecisionTokenAfterThePlainPrompt()
    {
        foreach (string task in BuiltInTaskGenerator.TaskNames)
        {
            var example = BuiltInTaskGenerator.Generate(task, 1, 4, 0, 0).Train[0];
            string prompt = example.Instruction + example.Input;
            int promptTokens = Tokenizer.Encode(prompt, addBos: true).Count;
            foreach (string label in BuiltInTaskGenerator.LabelsOf(task))
            {
                var full = Tokenizer.Encode(prompt + " " + label, addBos: true);
                Assert.Equal(promptTokens + 1, full.Count);
                int colon = Tokenizer.Encode(":", addBos: false)[^1];
                Assert.Equal(": " + label, Tokenizer.Decode([colon, full[^1]]));
            }
        }
    }

    [Fact]
    public void TextRoundTripsAndDigitsStayCharacters()
    {
        const string text = "Question: Is 47 larger than 12?\nAnswer: True";
        var ids = Tokenizer.Encode(text, addBos: true);
        Assert.Equal(text, Tokenizer.Decode(ids));
        Assert.Contains(ids, id => Tokenizer.Decode([id]) == "4");
        Assert.True(ids.Count < text.Length / 2, $"{ids.Count} tokens for {text.Length} characters: words were not merged");
    }

    [Fact]
    public void TheFileIsAFunctionOfTheWords()
    {
        Assert.Equal(WordTokenizerFile.Bytes(["b", "a"]), WordTokenizerFile.Bytes(["b", "a"]));
        Assert.Equal(BuiltInModel.Config.VocabSize, Tokenizer.VocabSize);
        Assert.Equal(["Answer", "Good", "the"], WordTokenizerFile.WordsOf(["the Good", "Answer: the 12"]));
    }
}

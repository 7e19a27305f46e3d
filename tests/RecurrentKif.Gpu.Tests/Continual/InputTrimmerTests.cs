using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Data;

namespace RecurrentKif.Gpu.Tests.Continual;

public sealed class InputTrimmerTests
{
    private static TaskExample Example(string input) => new("id", "What is the topic? Option: World, Sports.\n", input, "Sports");

    [Fact]
    public void KeepsTheFirstWordsAndTheAnswerLine()
    {
        var trimmed = InputTrimmer.Trim(Example("Title: Cup final\nText: The home side won the cup  in extra time.\n\nAnswer:"), 6);
        Assert.Equal("Title: Cup final\nText: The home\n\nAnswer:", trimmed.Input);
        Assert.Equal("Sports", trimmed.Output);
        Assert.Equal("What is the topic? Option: World, Sports.\n", trimmed.Instruction);
    }

    [Fact]
    public void ShortInputsAndZeroAreLeftAlone()
    {
        var example = Example("Title: Cup\nText: Won.\nAnswer:");
        Assert.Same(example, InputTrimmer.Trim(example, 4));
        var longer = Example("a b c d e f g");
        Assert.Same(longer, InputTrimmer.Trim(longer, 0));
    }

    [Fact]
    public void AnInputWithoutAnAnswerLineIsCutAtItsLastKeptWord()
    {
        Assert.Equal("one two", InputTrimmer.Trim(Example("one two three four"), 2).Input);
        // "Answer:" inside the text (yahoo's question/answer pairs) is text, not the closing marker.
        Assert.Equal("Q: why\nAnswer: because\nAnswer:", InputTrimmer.Trim(Example("Q: why\nAnswer: because it is\nAnswer:"), 4).Input);
    }
}

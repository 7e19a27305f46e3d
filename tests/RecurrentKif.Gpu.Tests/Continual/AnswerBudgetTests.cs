using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Evaluation;
using RecurrentKif.Gpu.Tests.Data;

namespace RecurrentKif.Gpu.Tests.Continual;

public sealed class AnswerBudgetTests
{
    private static TaskExample Labelled(string label) => new("id", "", "text", label);

    [Fact]
    public void ALabelLongerThanTheConfiguredBudgetRaisesItToTheLabelPlusEos()
    {
        // The byte tokenizer gives one token per character: "Educational Institution" is 23 tokens.
        int budget = AnswerBudget.MaxNewTokens(new ByteTestTokenizer(), [Labelled("Good"), Labelled("Educational Institution")], configured: 4);

        Assert.Equal(24, budget);
    }

    [Fact]
    public void ShortLabelsKeepTheConfiguredBudget()
    {
        Assert.Equal(16, AnswerBudget.MaxNewTokens(new ByteTestTokenizer(), [Labelled("Good"), Labelled("Bad")], configured: 16));
        Assert.Equal(16, AnswerBudget.MaxNewTokens(new ByteTestTokenizer(), [], configured: 16));
    }
}

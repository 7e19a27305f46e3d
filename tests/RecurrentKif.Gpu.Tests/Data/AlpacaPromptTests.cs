using RecurrentKif.Gpu.Data;

namespace RecurrentKif.Gpu.Tests.Data;

public class AlpacaPromptTests
{
    [Fact]
    public void BuildsTheTemplateWithInput()
    {
        Assert.Equal(
            "Below is an instruction that describes a task, paired with an input that provides further context. " +
            "Write a response that appropriately completes the request.\n\n### Instruction:\nQ?\n\n### Input:\nText: x\nAnswer:\n\n### Response:\n",
            AlpacaPrompt.Build("Q?", "Text: x\nAnswer:"));
    }

    [Fact]
    public void BuildsTheNoInputVariantForEmptyInput()
    {
        Assert.Equal(
            "Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n" +
            "### Instruction:\nQ?\n\n### Response:\n",
            AlpacaPrompt.Build("Q?", ""));
    }

    [Theory]
    [InlineData("prompt ### Response:\n Good \n", "Good")]
    [InlineData("### Response: a ### Response:\nvery positive", "very positive")]
    [InlineData("  Bad\n", "Bad")]
    public void ExtractsTheTextAfterTheLastResponseMarker(string generated, string expected)
    {
        Assert.Equal(expected, AlpacaPrompt.ExtractResponse(generated));
    }
}

using RecurrentKif.Gpu.Data;

namespace RecurrentKif.Gpu.Tests.Data;

public class ExampleEncoderTests
{
    private static readonly ByteTestTokenizer Tokenizer = new();
    private static readonly TaskExample Example = new("t_0", "Pick? Option: Yes, No.\n", "Text: hi\nAnswer:", "Yes");
    private static readonly int PromptLength = 1 + AlpacaPrompt.Build(Example.Instruction, Example.Input).Length; // BOS + ASCII bytes

    [Fact]
    public void MasksThePromptAndLabelsTheAnswerAndEos()
    {
        EncodedExample encoded = new ExampleEncoder(Tokenizer).EncodeForTraining(Example);

        int[] expectedIds = [.. Tokenizer.Encode(AlpacaPrompt.Build(Example.Instruction, Example.Input) + "Yes", addBos: true), Tokenizer.EosId];
        Assert.Equal(expectedIds, encoded.InputIds);
        Assert.Equal(PromptLength + 4, encoded.Length);
        Assert.All(encoded.Labels[..PromptLength], l => Assert.Equal(ExampleEncoder.IgnoreIndex, l));
        Assert.Equal(encoded.InputIds[PromptLength..], encoded.Labels[PromptLength..]);
        Assert.Equal(Tokenizer.EosId, encoded.Labels[^1]);
        Assert.Equal(Tokenizer.BosId, encoded.InputIds[0]);
    }

    [Fact]
    public void AppendsEosWhenTheSequenceIsOneShortOfTheCutoff()
    {
        int cutoff = PromptLength + 4; // prompt + "Yes" = cutoff - 1 tokens
        EncodedExample encoded = new ExampleEncoder(Tokenizer, cutoff).EncodeForTraining(Example);

        Assert.Equal(cutoff, encoded.Length);
        Assert.Equal(Tokenizer.EosId, encoded.InputIds[^1]);
    }

    [Fact]
    public void KeepAnswerDropsThePromptBeginningInsteadOfTheAnswer()
    {
        int cutoff = 24;
        EncodedExample encoded = new ExampleEncoder(Tokenizer, cutoff, keepAnswer: true).EncodeForTraining(Example);

        Assert.Equal(cutoff, encoded.Length);
        Assert.Equal(Tokenizer.BosId, encoded.InputIds[0]);
        Assert.Equal(Tokenizer.EosId, encoded.InputIds[^1]);
        Assert.Equal("Yes", Tokenizer.Decode(encoded.Labels.Where(l => l != ExampleEncoder.IgnoreIndex)));
        // What is left of the prompt is its end, exactly what EncodePrompt keeps for generation.
        int[] promptPart = encoded.InputIds[..(cutoff - 4)];
        int[] generationPrompt = new ExampleEncoder(Tokenizer, cutoff).EncodePrompt(Example, reserveForAnswer: 4);
        Assert.Equal(generationPrompt, promptPart);
        Assert.EndsWith("### Response:\n", Tokenizer.Decode(promptPart[1..]));
    }

    [Fact]
    public void KeepAnswerChangesNothingWhenTheExampleFits()
    {
        var plain = new ExampleEncoder(Tokenizer).EncodeForTraining(Example);
        var keeping = new ExampleEncoder(Tokenizer, keepAnswer: true).EncodeForTraining(Example);
        Assert.Equal(plain.InputIds, keeping.InputIds);
        Assert.Equal(plain.Labels, keeping.Labels);
    }

    [Fact]
    public void TruncatesAtTheCutoffWithoutEos()
    {
        int cutoff = PromptLength + 2; // room for "Ye" only
        EncodedExample encoded = new ExampleEncoder(Tokenizer, cutoff).EncodeForTraining(Example);

        Assert.Equal(cutoff, encoded.Length);
        Assert.DoesNotContain(Tokenizer.EosId, encoded.InputIds);
        Assert.Equal("Ye", Tokenizer.Decode(encoded.Labels.Where(l => l != ExampleEncoder.IgnoreIndex)));
    }

    [Fact]
    public void LabelsNothingWhenThePromptFillsTheCutoff()
    {
        EncodedExample encoded = new ExampleEncoder(Tokenizer, cutoff: 20).EncodeForTraining(Example);

        Assert.Equal(20, encoded.Length);
        Assert.All(encoded.Labels, l => Assert.Equal(ExampleEncoder.IgnoreIndex, l));
    }

    [Fact]
    public void PromptForGenerationIsBosPlusPromptWithoutAnswer()
    {
        int[] prompt = new ExampleEncoder(Tokenizer).EncodePrompt(Example);

        Assert.Equal(Tokenizer.Encode(AlpacaPrompt.Build(Example.Instruction, Example.Input), addBos: true), prompt);
    }

    [Fact]
    public void LongPromptKeepsBosAndItsEnd()
    {
        int[] prompt = new ExampleEncoder(Tokenizer, cutoff: 40).EncodePrompt(Example, reserveForAnswer: 10);

        Assert.Equal(30, prompt.Length);
        Assert.Equal(Tokenizer.BosId, prompt[0]);
        string promptText = AlpacaPrompt.Build(Example.Instruction, Example.Input);
        Assert.Equal(promptText[^29..], Tokenizer.Decode(prompt));
    }
}

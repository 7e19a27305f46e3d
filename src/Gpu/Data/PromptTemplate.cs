namespace RecurrentKif.Gpu.Data;

/// <summary>How a decoder-only model sees a record: the text before the answer, and what separates the answer.</summary>
public enum PromptTemplate
{
    /// <summary>
    /// alpaca-lora's template (preamble, ### Instruction, ### Input, ### Response), as the official LLaMA code uses:
    /// the default, and what the paper's LLaMA runs need.
    /// </summary>
    Alpaca,
    /// <summary>
    /// Instruction and input as they are, then a space and the answer (the T5 files' text, made causal). Small models
    /// pretrained on plain sentences learn far faster without the Alpaca preamble (docs/learning.md).
    /// </summary>
    Plain,
}

/// <summary>Builds prompts and reads answers for a <see cref="PromptTemplate"/>.</summary>
public static class PromptFormat
{
    /// <summary>The prompt (everything before the answer).</summary>
    public static string Build(PromptTemplate template, string instruction, string input) => template switch
    {
        PromptTemplate.Alpaca => AlpacaPrompt.Build(instruction, input),
        PromptTemplate.Plain => instruction + input,
        _ => throw new ArgumentOutOfRangeException(nameof(template), template, "unknown prompt template"),
    };

    /// <summary>
    /// Text between the prompt and the answer. Plain prompts end in "Answer:", so the answer is its own word
    /// (" Good"), which a word-level tokenizer keeps as one token and never merges with the prompt's last piece.
    /// </summary>
    public static string AnswerSeparator(PromptTemplate template) => template == PromptTemplate.Plain ? " " : "";

    /// <summary>The prediction in a generated text (only the new tokens, or the whole text for Alpaca).</summary>
    public static string ExtractAnswer(PromptTemplate template, string generated) =>
        template == PromptTemplate.Alpaca ? AlpacaPrompt.ExtractResponse(generated) : generated.Trim();
}

namespace RecurrentKif.Gpu.Data;

/// <summary>
/// The Alpaca prompt template (alpaca-lora's templates/alpaca.json) that the official LLaMA code wraps
/// around every record. The answer follows the response marker directly, with no separator.
/// </summary>
public static class AlpacaPrompt
{
    public const string ResponseMarker = "### Response:";

    private const string PreambleWithInput =
        "Below is an instruction that describes a task, paired with an input that provides further context. " +
        "Write a response that appropriately completes the request.\n\n";

    private const string PreambleWithoutInput =
        "Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n";

    /// <summary>Builds the prompt; an empty <paramref name="input"/> selects the template's no-input variant.</summary>
    public static string Build(string instruction, string input) =>
        string.IsNullOrEmpty(input)
            ? $"{PreambleWithoutInput}### Instruction:\n{instruction}\n\n{ResponseMarker}\n"
            : $"{PreambleWithInput}### Instruction:\n{instruction}\n\n### Input:\n{input}\n\n{ResponseMarker}\n";

    /// <summary>
    /// The prediction in a generated text: whatever follows the last response marker, trimmed. Text without
    /// a marker is taken to be the answer already (e.g. only the new tokens were decoded).
    /// </summary>
    public static string ExtractResponse(string generated)
    {
        int marker = generated.LastIndexOf(ResponseMarker, StringComparison.Ordinal);
        string answer = marker < 0 ? generated : generated[(marker + ResponseMarker.Length)..];
        return answer.Trim();
    }
}

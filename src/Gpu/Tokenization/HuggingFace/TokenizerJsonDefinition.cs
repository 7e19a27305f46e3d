namespace RecurrentKif.Gpu.Tokenization.HuggingFace;

/// <summary>What a byte-level BPE tokenizer.json says, in the form the tokenizer uses (see <see cref="TokenizerJsonReader"/>).</summary>
/// <param name="Source">The file it was read from, for messages.</param>
/// <param name="Vocabulary">The model's pieces (spelled in the byte-level alphabet) and their ids.</param>
/// <param name="Merges">The merge rules, strongest first.</param>
/// <param name="IgnoreMerges">A word that is itself a piece is that piece (Llama-3).</param>
/// <param name="AddedTokens">Special and other added tokens, matched whole before anything else.</param>
/// <param name="NormalizeNfc">The NFC normalizer runs on text outside added tokens (Qwen2).</param>
/// <param name="SplitPatterns">The Split steps' isolating patterns, applied one after the other before the byte-level step.</param>
/// <param name="AddPrefixSpace">The byte-level step first puts a space before a piece that does not start with one.</param>
/// <param name="ByteLevelSplitsGpt2">The byte-level step then splits with GPT-2's pattern (use_regex).</param>
public sealed record TokenizerJsonDefinition(
    string Source,
    IReadOnlyDictionary<string, int> Vocabulary,
    IReadOnlyList<BpeMergeRule> Merges,
    bool IgnoreMerges,
    IReadOnlyList<AddedToken> AddedTokens,
    bool NormalizeNfc,
    IReadOnlyList<string> SplitPatterns,
    bool AddPrefixSpace,
    bool ByteLevelSplitsGpt2)
{
    /// <summary>The id of a token given as text, as Hugging Face's token_to_id: added tokens first, then the vocabulary.</summary>
    public int? IdOf(string token) =>
        AddedTokens.FirstOrDefault(t => t.Content == token) is { } added ? added.Id
        : Vocabulary.TryGetValue(token, out int id) ? id : null;
}

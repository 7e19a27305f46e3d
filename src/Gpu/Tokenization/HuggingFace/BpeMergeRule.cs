namespace RecurrentKif.Gpu.Tokenization.HuggingFace;

/// <summary>One line of tokenizer.json's <c>merges</c>: two adjacent pieces that join into one; earlier lines join first.</summary>
public readonly record struct BpeMergeRule(string Left, string Right);

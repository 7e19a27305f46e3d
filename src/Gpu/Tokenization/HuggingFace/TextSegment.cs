namespace RecurrentKif.Gpu.Tokenization.HuggingFace;

/// <summary>A stretch of text between added tokens, or one added token found in the text.</summary>
/// <param name="Text">The stretch's text; for an added token, the matched text.</param>
/// <param name="AddedTokenId">The added token's id, or null for ordinary text.</param>
public readonly record struct TextSegment(string Text, int? AddedTokenId)
{
    public bool IsAddedToken => AddedTokenId is not null;
}

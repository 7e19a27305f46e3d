namespace RecurrentKif.Gpu.Tokenization.HuggingFace;

/// <summary>
/// Finds added tokens in a text and cuts the text around them, as Hugging Face's AddedVocabulary does: the leftmost
/// match wins, and of the tokens matching there the longest; lstrip / rstrip tokens take the white space beside them.
/// </summary>
public sealed class AddedTokenSplitter
{
    // Tokens by first character, longest first, so the first that matches at a position is the longest there.
    private readonly Dictionary<char, AddedToken[]> _byFirstChar;

    public AddedTokenSplitter(IEnumerable<AddedToken> tokens)
    {
        _byFirstChar = tokens
            .Where(t => t.Content.Length > 0)
            .GroupBy(t => t.Content[0])
            .ToDictionary(g => g.Key, g => g.OrderByDescending(t => t.Content.Length).ToArray());
    }

    public bool IsEmpty => _byFirstChar.Count == 0;

    /// <summary>Appends the segments of <paramref name="text"/> in order; empty text stretches are left out.</summary>
    public void Split(string text, List<TextSegment> segments)
    {
        if (IsEmpty)
        {
            if (text.Length > 0) segments.Add(new TextSegment(text, null));
            return;
        }
        int textStart = 0, position = 0;
        while (position < text.Length)
        {
            AddedToken? token = LongestAt(text, position);
            if (token is null)
            {
                position++;
                continue;
            }
            int start = position, end = position + token.Content.Length;
            if (token.LeftStrip)
                while (start > textStart && char.IsWhiteSpace(text[start - 1])) start--;
            if (token.RightStrip)
                while (end < text.Length && char.IsWhiteSpace(text[end])) end++;
            if (start > textStart) segments.Add(new TextSegment(text[textStart..start], null));
            segments.Add(new TextSegment(text[start..end], token.Id));
            textStart = position = end;
        }
        if (textStart < text.Length) segments.Add(new TextSegment(text[textStart..], null));
    }

    private AddedToken? LongestAt(string text, int position)
    {
        if (!_byFirstChar.TryGetValue(text[position], out AddedToken[]? candidates)) return null;
        ReadOnlySpan<char> rest = text.AsSpan(position);
        foreach (AddedToken candidate in candidates)
            if (rest.StartsWith(candidate.Content, StringComparison.Ordinal)) return candidate;
        return null;
    }
}

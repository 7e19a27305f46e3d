using System.Globalization;
using System.Text;

namespace RecurrentKif.Gpu.Tokenization.HuggingFace;

/// <summary>
/// Lets .NET's regular expressions see a text one code point at a time, as the Rust regex engine behind Hugging Face's
/// tokenizers does. .NET matches UTF-16 units, so a letter outside the Basic Multilingual Plane (𝐀, 𠀀) is two
/// surrogates to it, never <c>\p{L}</c>, and the Llama-3 / Qwen2 split pattern would cut it differently. Each such
/// code point is replaced, for matching only, by one BMP character of the same Unicode category; the split patterns
/// test nothing but categories, white space and ASCII literals, so the matches are the same as on the real text.
/// </summary>
public static class CategoryStandIns
{
    private static readonly char[] StandInOf = BuildStandIns();

    /// <summary>
    /// <paramref name="text"/> with every surrogate pair replaced by its stand-in, and for each character of the
    /// result the index in <paramref name="text"/> where it starts (plus one final entry: the text's length).
    /// Null positions mean the text had no surrogate pair and is returned unchanged.
    /// </summary>
    public static string Replace(string text, out int[]? originalStarts)
    {
        originalStarts = null;
        if (!HasSurrogatePair(text)) return text;
        var replaced = new StringBuilder(text.Length);
        var starts = new List<int>(text.Length + 1);
        for (int i = 0; i < text.Length; i++)
        {
            starts.Add(i);
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                var rune = new Rune(text[i], text[i + 1]);
                replaced.Append(StandInOf[(int)Rune.GetUnicodeCategory(rune)]);
                i++;
            }
            else
            {
                replaced.Append(text[i]);
            }
        }
        starts.Add(text.Length);
        originalStarts = [.. starts];
        return replaced.ToString();
    }

    private static bool HasSurrogatePair(string text)
    {
        for (int i = 0; i + 1 < text.Length; i++)
            if (char.IsHighSurrogate(text[i]) && char.IsLowSurrogate(text[i + 1])) return true;
        return false;
    }

    /// <summary>
    /// For each category, the first BMP character from U+0100 on that has it: past ASCII and Latin-1, so no stand-in
    /// is a literal of a split pattern or folds to one under (?i). Categories no BMP character has (none at
    /// present) fall back to a private-use character.
    /// </summary>
    private static char[] BuildStandIns()
    {
        int count = Enum.GetValues<UnicodeCategory>().Length;
        var standIns = new char[count];
        var found = new bool[count];
        for (int c = 0x100; c <= 0xFFFF; c++)
        {
            if (c is >= 0xD800 and <= 0xDFFF) continue;
            int category = (int)CharUnicodeInfo.GetUnicodeCategory((char)c);
            if (found[category]) continue;
            standIns[category] = (char)c;
            found[category] = true;
        }
        for (int category = 0; category < count; category++)
            if (!found[category]) standIns[category] = '\uE000';
        return standIns;
    }
}

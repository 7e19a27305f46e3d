using System.Text.RegularExpressions;

namespace RecurrentKif.Gpu.Tokenization.HuggingFace;

/// <summary>
/// A tokenizer.json <c>Split</c> pre-tokenizer with behavior "Isolated" (and the regex step of <c>ByteLevel</c>
/// with use_regex): every match of the pattern is one piece and so is every stretch between two matches. This is how
/// the Llama-3 and Qwen2 split patterns cut text into words, numbers, punctuation runs and white space before BPE.
/// Matching is per code point (see <see cref="CategoryStandIns"/>).
/// </summary>
public sealed class IsolatingRegexSplit
{
    private readonly Regex _regex;

    public string Pattern { get; }

    /// <exception cref="ArgumentException">.NET cannot parse the pattern.</exception>
    public IsolatingRegexSplit(string pattern)
    {
        Pattern = pattern;
        _regex = new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled);
    }

    /// <summary>Appends the pieces of <paramref name="text"/> to <paramref name="pieces"/>, in order; together they are the text.</summary>
    public void Split(string text, List<string> pieces)
    {
        string searched = CategoryStandIns.Replace(text, out int[]? starts);
        int Original(int index) => starts is null ? index : starts[index];
        int last = 0;
        foreach (ValueMatch match in _regex.EnumerateMatches(searched))
        {
            if (match.Length == 0) continue;
            if (match.Index > last) pieces.Add(text[Original(last)..Original(match.Index)]);
            last = match.Index + match.Length;
            pieces.Add(text[Original(match.Index)..Original(last)]);
        }
        if (last < searched.Length) pieces.Add(text[Original(last)..]);
    }
}

using System.Text.RegularExpressions;
using RecurrentKif.Gpu.Tokenization;

namespace RecurrentKif.Gpu.BuiltIn;

/// <summary>
/// Writes the built-in model's tokenizer: a llama2.c tokenizer.bin (read by the same <see cref="Tokenization.Llama2cTokenizer"/>
/// as real llama2.c vocabularies) in which every word of the built-in tasks is one token, with and without its leading
/// space (" Good", "Answer"), every printable ASCII character is a piece, and anything else falls back to bytes.
/// </summary>
/// <remarks>
/// Why words: with bytes, a label is several tokens and its first one (the decision) is learnt last; the byte-level
/// model stayed at chance for the built-in tasks (docs/learning.md). With a word per token, a label is one decision
/// and a 30-word prompt is 40 tokens instead of 150.
/// How a word becomes one token through llama2.c's merge loop (repeatedly merge the adjacent pair whose concatenation
/// is the highest-scoring piece): every prefix of every word is a piece scored by its length, so any two adjacent
/// pieces inside a word concatenate to a prefix (a piece), the pieces at the word's start grow longest-first, and the
/// loop can only stop at the whole word. Digits stay single characters, so numbers keep their digit structure.
/// </remarks>
public static class WordTokenizerFile
{
    private static readonly Regex Word = new("[A-Za-z]+", RegexOptions.CultureInvariant);

    /// <summary>The distinct words (letter runs) of <paramref name="texts"/>, sorted ordinally: the file is a function of the text.</summary>
    public static IReadOnlyList<string> WordsOf(IEnumerable<string> texts) =>
        texts.SelectMany(t => Word.Matches(t).Select(m => m.Value)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>The pieces in file order (specials, 256 bytes, then the mergeable pieces) with their scores.</summary>
    public static IReadOnlyList<(string Piece, float Score)> Pieces(IEnumerable<string> words)
    {
        var pieces = new List<(string, float)>(Llama2cTokenizerWriter.StandardPrefix);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(string piece)
        {
            if (seen.Add(piece)) pieces.Add((piece, piece.Length));
        }
        Add("\n");
        for (char c = ' '; c <= '~'; c++) Add(c.ToString());
        foreach (string word in words)
        {
            for (int length = 1; length <= word.Length; length++)
            {
                Add(word[..length]);
                Add(" " + word[..length]);
            }
        }
        return pieces;
    }

    /// <summary>Writes the tokenizer.bin for <paramref name="words"/>.</summary>
    public static void Write(string path, IEnumerable<string> words) => File.WriteAllBytes(path, Bytes(words));

    /// <summary>The tokenizer.bin contents for <paramref name="words"/> (so a model folder can be checked against them).</summary>
    public static byte[] Bytes(IEnumerable<string> words) => Llama2cTokenizerWriter.Bytes(Pieces(words));
}

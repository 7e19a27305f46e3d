using System.Text;
using System.Text.RegularExpressions;

namespace RecurrentKif.Gpu.Tokenization;

/// <summary>
/// Learns a byte-pair-encoding vocabulary from text and returns it as llama2.c pieces with scores, so the result is
/// an ordinary <c>tokenizer.bin</c> read by <see cref="Llama2cTokenizer"/> (SentencePiece-BPE semantics).
/// </summary>
/// <remarks>
/// <para>Training is classic BPE (Sennrich et al.): split the text into chunks, start from characters, and repeatedly
/// merge the most frequent adjacent pair into a new symbol until the vocabulary is full. A merge learnt earlier gets a
/// higher score (0, −1, −2, …); llama2.c's encoder merges the highest-scoring pair first, so it replays the merges in
/// the order they were learnt.</para>
/// <para>Chunks are a letter run, a digit run or a punctuation run, each with the space before it (" topic", " 39", ";"),
/// or one whitespace character. No piece can then hold a space after its first character, nor mix letters with digits
/// or punctuation, so the encoder (which does not know the chunks) can never merge across a chunk boundary, and the
/// vocabulary is spent on words instead of on "word." and "word," variants.</para>
/// <para>Characters seen fewer than <c>minCharacterCount</c> times get no piece: the encoder spells them in bytes.</para>
/// <para>Deterministic: the same texts in the same order give the same file.</para>
/// </remarks>
public static class BpeVocabularyTrainer
{
    private static readonly Regex Chunk = new(@" ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s", RegexOptions.CultureInvariant | RegexOptions.Compiled);

    /// <summary>A symbol that no merge may touch: a character without a piece.</summary>
    private const int Barrier = -1;

    public static IReadOnlyList<(string Piece, float Score)> Train(IEnumerable<string> texts, int vocabularySize, int minCharacterCount = 2)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentOutOfRangeException.ThrowIfLessThan(minCharacterCount, 1);

        var chunkCounts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (string text in texts)
        {
            // llama2.c prepends a space to every text it encodes, so the first word is seen with its space too.
            foreach (Match match in Chunk.Matches(" " + text))
                chunkCounts[match.Value] = chunkCounts.GetValueOrDefault(match.Value) + 1;
        }

        var characterCounts = new Dictionary<int, long>();
        foreach (var (chunk, count) in chunkCounts)
            foreach (Rune rune in chunk.EnumerateRunes())
                characterCounts[rune.Value] = characterCounts.GetValueOrDefault(rune.Value) + count;
        int[] alphabet = characterCounts.Where(c => c.Value >= minCharacterCount)
            .OrderByDescending(c => c.Value).ThenBy(c => c.Key).Select(c => c.Key).ToArray();

        int baseCount = Llama2cVocabulary.FirstNormalId + alphabet.Length;
        if (vocabularySize < baseCount)
            throw new ArgumentOutOfRangeException(nameof(vocabularySize), vocabularySize,
                $"the text has {alphabet.Length} characters seen at least {minCharacterCount} times; the vocabulary needs at least {baseCount} pieces");

        var symbols = alphabet.Select(c => char.ConvertFromUtf32(c)).ToList();
        var symbolOf = alphabet.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
        var pieces = new List<(string Piece, float Score)>(Llama2cTokenizerWriter.StandardPrefix);
        pieces.AddRange(symbols.Select(s => (s, 0f)));
        var known = new HashSet<string>(symbols, StringComparer.Ordinal);

        var words = chunkCounts.Select(c => c.Key.EnumerateRunes().Select(r => symbolOf.GetValueOrDefault(r.Value, Barrier)).ToList()).ToArray();
        long[] frequencies = chunkCounts.Values.ToArray();
        var pairs = new PairStatistics();
        for (int w = 0; w < words.Length; w++) pairs.Add(words[w], w, frequencies[w]);

        int rank = 0;
        while (pieces.Count < vocabularySize && pairs.TryTakeMostFrequent(out long pair, out long pairCount) && pairCount >= 2)
        {
            int left = (int)(pair >> 32), right = (int)(uint)pair;
            int merged = symbols.Count;
            symbols.Add(symbols[left] + symbols[right]);
            foreach (int w in pairs.WordsWith(pair))
            {
                var word = words[w];
                if (!Contains(word, left, right)) continue;
                pairs.Remove(word, frequencies[w]);
                Merge(word, left, right, merged);
                pairs.Add(word, w, frequencies[w]);
            }
            // Two merges can spell the same string ("a"+"bc", "ab"+"c"); the file keeps it once, at its first score.
            if (known.Add(symbols[merged])) pieces.Add((symbols[merged], -rank++));
        }
        return pieces;
    }

    /// <summary>Trains and returns the <c>tokenizer.bin</c> contents.</summary>
    public static byte[] TrainFile(IEnumerable<string> texts, int vocabularySize, int minCharacterCount = 2) =>
        Llama2cTokenizerWriter.Bytes(Train(texts, vocabularySize, minCharacterCount));

    private static bool Contains(List<int> word, int left, int right)
    {
        for (int i = 0; i + 1 < word.Count; i++)
            if (word[i] == left && word[i + 1] == right) return true;
        return false;
    }

    /// <summary>Replaces every non-overlapping (left, right), scanning left to right, by <paramref name="merged"/>.</summary>
    private static void Merge(List<int> word, int left, int right, int merged)
    {
        int write = 0;
        for (int read = 0; read < word.Count; read++)
        {
            if (read + 1 < word.Count && word[read] == left && word[read + 1] == right)
            {
                word[write++] = merged;
                read++;
            }
            else
            {
                word[write++] = word[read];
            }
        }
        word.RemoveRange(write, word.Count - write);
    }

    /// <summary>How often each adjacent symbol pair occurs (weighted by chunk frequency), and in which chunks.</summary>
    private sealed class PairStatistics
    {
        private readonly Dictionary<long, long> _counts = new();
        private readonly Dictionary<long, HashSet<int>> _words = new();

        public void Add(List<int> word, int wordIndex, long frequency)
        {
            for (int i = 0; i + 1 < word.Count; i++)
            {
                if (word[i] == Barrier || word[i + 1] == Barrier) continue;
                long key = Key(word[i], word[i + 1]);
                _counts[key] = _counts.GetValueOrDefault(key) + frequency;
                if (!_words.TryGetValue(key, out var set)) _words[key] = set = [];
                set.Add(wordIndex);
            }
        }

        public void Remove(List<int> word, long frequency)
        {
            for (int i = 0; i + 1 < word.Count; i++)
            {
                if (word[i] == Barrier || word[i + 1] == Barrier) continue;
                long key = Key(word[i], word[i + 1]);
                long left = _counts[key] - frequency;
                if (left == 0) _counts.Remove(key);
                else _counts[key] = left;
            }
        }

        /// <summary>The most frequent pair; ties go to the smallest (left, right) ids, i.e. the older symbols.</summary>
        public bool TryTakeMostFrequent(out long pair, out long count)
        {
            pair = 0;
            count = 0;
            foreach (var (key, value) in _counts)
            {
                if (value > count || (value == count && key < pair))
                {
                    pair = key;
                    count = value;
                }
            }
            return count > 0;
        }

        /// <summary>The chunks that held the pair (some may no longer: the set is pruned lazily), in index order.</summary>
        public int[] WordsWith(long pair)
        {
            if (!_words.Remove(pair, out var set)) return [];
            int[] indices = [.. set];
            Array.Sort(indices);
            return indices;
        }

        private static long Key(int left, int right) => ((long)left << 32) | (uint)right;
    }
}

using System.Collections.Concurrent;

namespace RecurrentKif.Gpu.Tokenization.HuggingFace;

/// <summary>
/// The BPE model of a byte-level tokenizer.json: turns one pre-tokenized word, already spelled in the
/// <see cref="ByteLevelAlphabet"/>, into vocabulary ids. Starting from one piece per byte, it repeatedly joins the
/// adjacent pair whose merge rule comes first in the merges list (the leftmost such pair when it occurs more than
/// once) until no pair has a rule, as Hugging Face's BPE does. With ignore_merges (Llama-3) a word that is itself in
/// the vocabulary is that one id, without merging: BPE does not always reach such a word.
/// </summary>
public sealed class ByteLevelBpeModel
{
    /// <summary>Words kept in the cache at most; texts repeat their words, and a bound keeps memory flat.</summary>
    private const int CacheCapacity = 200_000;

    private readonly IReadOnlyDictionary<string, int> _vocabulary;
    private readonly Dictionary<(int Left, int Right), (int Rank, int Merged)> _merges;
    private readonly int[] _idOfByte = new int[256];
    private readonly bool _ignoreMerges;
    private readonly ConcurrentDictionary<string, int[]> _cache = new(StringComparer.Ordinal);
    private readonly PairMerger<int> _merger;

    /// <param name="source">Names the file in error messages.</param>
    /// <exception cref="InvalidDataException">A byte has no piece, or a merge names or makes a piece the vocabulary lacks.</exception>
    public ByteLevelBpeModel(IReadOnlyDictionary<string, int> vocabulary, IReadOnlyList<BpeMergeRule> merges, bool ignoreMerges, string source)
    {
        _vocabulary = vocabulary;
        _ignoreMerges = ignoreMerges;
        for (int b = 0; b < 256; b++)
        {
            string piece = ByteLevelAlphabet.CharOf((byte)b).ToString();
            _idOfByte[b] = vocabulary.TryGetValue(piece, out int id)
                ? id
                : throw new InvalidDataException($"{source}: the byte-level vocabulary has no piece for byte 0x{b:X2} ('{piece}')");
        }
        _merges = new Dictionary<(int, int), (int, int)>(merges.Count);
        for (int rank = 0; rank < merges.Count; rank++)
        {
            var (left, right) = (merges[rank].Left, merges[rank].Right);
            int leftId = IdOf(left, rank), rightId = IdOf(right, rank), mergedId = IdOf(left + right, rank);
            // A rule listed twice keeps its first (stronger) rank.
            _merges.TryAdd((leftId, rightId), (rank, mergedId));
        }
        // Lowest rank first, the leftmost pair among equal ranks: Hugging Face's (rank, position) order.
        _merger = new PairMerger<int>(TryGetMerge, Comparer<int>.Default);

        int IdOf(string piece, int rank) => vocabulary.TryGetValue(piece, out int id)
            ? id
            : throw new InvalidDataException($"{source}: merge {rank} ('{merges[rank].Left}' '{merges[rank].Right}') uses or makes '{piece}', which is not in the vocabulary");
    }

    /// <summary>Appends the ids of <paramref name="spelledWord"/> (one alphabet character per byte) to <paramref name="ids"/>.</summary>
    public void EncodeWord(string spelledWord, List<int> ids)
    {
        if (spelledWord.Length == 0) return;
        if (_ignoreMerges && _vocabulary.TryGetValue(spelledWord, out int whole))
        {
            ids.Add(whole);
            return;
        }
        if (_cache.TryGetValue(spelledWord, out int[]? cached))
        {
            ids.AddRange(cached);
            return;
        }
        int[] merged = Merge(spelledWord);
        if (_cache.Count < CacheCapacity) _cache.TryAdd(spelledWord, merged);
        ids.AddRange(merged);
    }

    private int[] Merge(string spelledWord)
    {
        int n = spelledWord.Length;
        var symbols = new int[n];
        for (int i = 0; i < n; i++)
        {
            if (!ByteLevelAlphabet.TryGetByte(spelledWord[i], out byte b))
                throw new ArgumentException($"'{spelledWord}' is not spelled in the byte-level alphabet", nameof(spelledWord));
            symbols[i] = _idOfByte[b];
        }
        var ids = new List<int>(n);
        _merger.Merge(symbols, ids);
        return [.. ids];
    }

    /// <summary>The rule for two adjacent pieces: lower ranks come first in the merges list and are applied first.</summary>
    private bool TryGetMerge(int left, int right, out int merged, out int rank)
    {
        bool found = _merges.TryGetValue((left, right), out var rule);
        (merged, rank) = (rule.Merged, rule.Rank);
        return found;
    }
}

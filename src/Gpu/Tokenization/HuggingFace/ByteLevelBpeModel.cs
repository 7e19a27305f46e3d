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
        return new MergeRun(symbols, _merges).Run();
    }

    /// <summary>One word's merging: a linked list of symbols and a queue of candidate merges, best rank first.</summary>
    private readonly struct MergeRun
    {
        private readonly int[] _token, _next, _previous;
        private readonly Dictionary<(int Left, int Right), (int Rank, int Merged)> _merges;
        private readonly PriorityQueue<(int Left, int LeftToken, int RightToken, int Merged), (int Rank, int Left)> _queue = new();

        public MergeRun(int[] symbols, Dictionary<(int, int), (int, int)> merges)
        {
            int n = symbols.Length;
            _token = symbols;
            _next = new int[n];
            _previous = new int[n];
            for (int i = 0; i < n; i++)
            {
                _previous[i] = i - 1;
                _next[i] = i + 1 < n ? i + 1 : -1;
            }
            _merges = merges;
            for (int i = 0; i + 1 < n; i++) Offer(i);
        }

        public int[] Run()
        {
            // Slots keep text order and a merge keeps its left slot, so (rank, slot) orders as HF's (rank, position).
            while (_queue.TryDequeue(out var candidate, out _))
            {
                int left = candidate.Left, right = _next[left];
                // Stale entries (a side merged away or changed since queuing) are skipped, not removed.
                if (_token[left] != candidate.LeftToken || right < 0 || _token[right] != candidate.RightToken) continue;
                _token[left] = candidate.Merged;
                _token[right] = -1;
                _next[left] = _next[right];
                if (_next[right] >= 0) _previous[_next[right]] = left;
                if (_previous[left] >= 0) Offer(_previous[left]);
                Offer(left);
            }
            var ids = new List<int>();
            for (int slot = 0; slot >= 0; slot = _next[slot]) ids.Add(_token[slot]);
            return [.. ids];
        }

        private void Offer(int left)
        {
            int right = _next[left];
            if (right < 0 || !_merges.TryGetValue((_token[left], _token[right]), out var rule)) return;
            _queue.Enqueue((left, _token[left], _token[right], rule.Merged), (rule.Rank, left));
        }
    }
}

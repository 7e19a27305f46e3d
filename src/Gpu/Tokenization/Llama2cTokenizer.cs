using System.Runtime.InteropServices;
using System.Text;

namespace RecurrentKif.Gpu.Tokenization;

/// <summary>
/// The tokenizer of llama2.c models (<c>tokenizer.bin</c>), e.g. stories260k: SentencePiece-BPE encoding
/// reimplemented over the raw piece list, as llama2.c's run.c does.
/// </summary>
/// <remarks>
/// Encoding: a dummy space is prepended to non-empty text; each code point becomes its piece, or its UTF-8
/// bytes become byte pieces (byte + 3) when it has none; then, while possible, the adjacent pair that
/// concatenates to the highest-scoring piece is merged, the leftmost pair winning a tie. llama2.c finds that
/// pair by rescanning the whole sequence after every merge; a priority queue gives the same merges without
/// the quadratic rescans, which matters for thousands of 1–2 KB benchmark texts.
/// </remarks>
public sealed class Llama2cTokenizer : ITextTokenizer
{
    private readonly Llama2cVocabulary _vocabulary;
    private readonly Llama2cMergeTable _merges;

    public Llama2cTokenizer(Llama2cVocabulary vocabulary)
    {
        _vocabulary = vocabulary;
        _merges = new Llama2cMergeTable(vocabulary);
    }

    /// <summary>Reads a <c>tokenizer.bin</c>; see <see cref="Llama2cVocabulary.Load"/> for <paramref name="vocabSize"/>.</summary>
    public static Llama2cTokenizer Load(string path, int? vocabSize = null) => new(Llama2cVocabulary.Load(path, vocabSize));

    public int VocabSize => _vocabulary.Count;
    public int BosId => Llama2cVocabulary.BosId;
    public int EosId => Llama2cVocabulary.EosId;
    /// <summary>0 is &lt;unk&gt;, which the byte-fallback encoder never emits, so it is free to mean padding.</summary>
    public int PadId => Llama2cVocabulary.UnkId;

    public IReadOnlyList<int> Encode(string text, bool addBos)
    {
        var ids = new List<int>(text.Length + 2);
        if (addBos) ids.Add(BosId);
        if (text.Length == 0) return ids;

        List<int> symbols = InitialSymbols(text);
        new MergeRun(symbols, _merges, _vocabulary).AppendMerged(ids);
        return ids;
    }

    /// <summary>The dummy space and then one piece per code point, or its bytes' fallback pieces.</summary>
    private List<int> InitialSymbols(string text)
    {
        var symbols = new List<int>(text.Length + 1);
        AddCodePoint(symbols, new Rune(' '));
        // Lone surrogates enumerate as U+FFFD, which is also what UTF-8 encoding would turn them into.
        foreach (Rune rune in text.EnumerateRunes()) AddCodePoint(symbols, rune);
        return symbols;
    }

    private void AddCodePoint(List<int> symbols, Rune rune)
    {
        if (_merges.TryGetCodePoint(rune.Value, out int id))
        {
            symbols.Add(id);
            return;
        }
        Span<byte> utf8 = stackalloc byte[4];
        int length = rune.EncodeToUtf8(utf8);
        foreach (byte b in utf8[..length]) symbols.Add(Llama2cVocabulary.FirstByteId + b);
    }

    public string Decode(IEnumerable<int> ids)
    {
        var bytes = new List<byte>();
        bool atFirstPiece = true;
        foreach (int id in ids)
        {
            if (id < 0 || id >= VocabSize)
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"token id outside the vocabulary of {VocabSize}");
            if (id is Llama2cVocabulary.BosId or Llama2cVocabulary.EosId or Llama2cVocabulary.UnkId) continue;

            if (id < Llama2cVocabulary.FirstNormalId)
            {
                bytes.Add((byte)(id - Llama2cVocabulary.FirstByteId));
            }
            else
            {
                ReadOnlySpan<byte> piece = _vocabulary.Piece(id);
                // The encoder's dummy space lives in the first piece; llama2.c strips it after BOS.
                if (atFirstPiece && piece[0] == (byte)' ') piece = piece[1..];
                bytes.AddRange(piece);
            }
            atFirstPiece = false;
        }
        return Encoding.UTF8.GetString(CollectionsMarshal.AsSpan(bytes));
    }

    /// <summary>One text's merging: a doubly linked list of symbols and a queue of candidate merges.</summary>
    private readonly struct MergeRun
    {
        private readonly int[] _token, _previous, _next;
        private readonly Llama2cMergeTable _merges;
        private readonly Llama2cVocabulary _vocabulary;
        private readonly PriorityQueue<Candidate, Candidate> _queue;

        /// <summary>
        /// A possible merge of the symbols in slots Left and Left's successor, as they were when queued.
        /// Slots keep their text order and a merge keeps its left slot, so a lower Left is further left.
        /// </summary>
        private readonly record struct Candidate(float Score, int Left, int LeftToken, int RightToken, int Merged);

        /// <summary>Highest score first; the leftmost pair among equal scores, as llama2.c's strict '&gt;' scan picks.</summary>
        private sealed class BestFirst : IComparer<Candidate>
        {
            public static readonly BestFirst Instance = new();
            public int Compare(Candidate x, Candidate y)
            {
                int byScore = y.Score.CompareTo(x.Score);
                return byScore != 0 ? byScore : x.Left.CompareTo(y.Left);
            }
        }

        public MergeRun(List<int> symbols, Llama2cMergeTable merges, Llama2cVocabulary vocabulary)
        {
            int n = symbols.Count;
            _token = symbols.ToArray();
            _previous = new int[n];
            _next = new int[n];
            for (int i = 0; i < n; i++)
            {
                _previous[i] = i - 1;
                _next[i] = i + 1 < n ? i + 1 : -1;
            }
            _merges = merges;
            _vocabulary = vocabulary;
            _queue = new PriorityQueue<Candidate, Candidate>(BestFirst.Instance);
            for (int i = 0; i + 1 < n; i++) Offer(i);
        }

        public void AppendMerged(List<int> ids)
        {
            while (_queue.TryDequeue(out Candidate candidate, out _))
            {
                int left = candidate.Left, right = _next[left];
                // Stale entries (a side was merged away or changed since queuing) are skipped, not removed.
                if (_token[left] != candidate.LeftToken || right < 0 || _token[right] != candidate.RightToken) continue;

                _token[left] = candidate.Merged;
                _token[right] = -1;
                _next[left] = _next[right];
                if (_next[right] >= 0) _previous[_next[right]] = left;
                if (_previous[left] >= 0) Offer(_previous[left]);
                Offer(left);
            }
            for (int slot = 0; slot >= 0; slot = _next[slot]) ids.Add(_token[slot]);
        }

        /// <summary>Queues the merge of slot <paramref name="left"/> with its successor, if those pieces merge.</summary>
        private void Offer(int left)
        {
            int right = _next[left];
            if (right < 0 || !_merges.TryGetMerge(_token[left], _token[right], out int merged)) return;
            var candidate = new Candidate(_vocabulary.Score(merged), left, _token[left], _token[right], merged);
            _queue.Enqueue(candidate, candidate);
        }
    }
}

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
    private readonly PairMerger<float> _merger;

    public Llama2cTokenizer(Llama2cVocabulary vocabulary)
    {
        _vocabulary = vocabulary;
        _merges = new Llama2cMergeTable(vocabulary);
        _merger = new PairMerger<float>(TryGetMerge, HighestScoreFirst.Instance);
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
        _merger.Merge(symbols.ToArray(), ids);
        return ids;
    }

    /// <summary>Whether two adjacent pieces concatenate to a piece; its score is how soon llama2.c merges them.</summary>
    private bool TryGetMerge(int left, int right, out int merged, out float score)
    {
        bool found = _merges.TryGetMerge(left, right, out merged);
        score = found ? _vocabulary.Score(merged) : 0f;
        return found;
    }

    /// <summary>Highest score first; the merger then takes the leftmost pair among equal scores, as llama2.c's strict '&gt;' scan picks.</summary>
    private sealed class HighestScoreFirst : IComparer<float>
    {
        public static readonly HighestScoreFirst Instance = new();
        public int Compare(float x, float y) => y.CompareTo(x);
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
}

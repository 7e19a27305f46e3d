using System.Text;

namespace RecurrentKif.Gpu.Tokenization;

/// <summary>
/// Lookups the llama2.c encoder needs, precomputed once so that encoding allocates no strings:
/// which ordinary piece a single code point is, and which ordinary piece two adjacent ordinary pieces merge into.
/// </summary>
/// <remarks>
/// llama2.c checks a merge by concatenating the two piece strings and looking the result up. Here every
/// way of cutting an ordinary piece into two ordinary pieces is listed ahead of time: "a" + "b" concatenates
/// to piece "ab" exactly when "ab" cut after len("a") gives "a" and "b", so the two lookups agree.
/// Only ordinary pieces (ids from <see cref="Llama2cVocabulary.FirstNormalId"/>) take part, as in
/// SentencePiece BPE, which never merges control or byte-fallback pieces; llama2.c's plain string lookup
/// could in theory build e.g. "&lt;unk&gt;" out of text, but no released vocabulary has the pieces for that.
/// </remarks>
internal sealed class Llama2cMergeTable
{
    private readonly Dictionary<int, int> _codePointToId = new();
    private readonly Dictionary<long, int> _pairToMerged = new();

    public Llama2cMergeTable(Llama2cVocabulary vocabulary)
    {
        // Latin-1 maps each byte to one char and back, so these keys compare raw UTF-8 bytes exactly,
        // even for a piece that is not valid UTF-8 on its own.
        var idOfBytes = new Dictionary<string, int>(vocabulary.Count);
        for (int id = Llama2cVocabulary.FirstNormalId; id < vocabulary.Count; id++)
        {
            ReadOnlySpan<byte> piece = vocabulary.Piece(id);
            // First occurrence wins for duplicated pieces, so every lookup has one stable answer.
            idOfBytes.TryAdd(Encoding.Latin1.GetString(piece), id);
            if (Rune.DecodeFromUtf8(piece, out Rune rune, out int consumed) == System.Buffers.OperationStatus.Done
                && consumed == piece.Length)
                _codePointToId.TryAdd(rune.Value, id);
        }
        foreach ((string merged, int mergedId) in idOfBytes)
        {
            for (int cut = 1; cut < merged.Length; cut++)
            {
                if (idOfBytes.TryGetValue(merged[..cut], out int left) && idOfBytes.TryGetValue(merged[cut..], out int right))
                    _pairToMerged.TryAdd(PairKey(left, right), mergedId);
            }
        }
    }

    /// <summary>The ordinary piece that is exactly this code point, if there is one.</summary>
    public bool TryGetCodePoint(int codePoint, out int id) => _codePointToId.TryGetValue(codePoint, out id);

    /// <summary>The piece whose bytes are <paramref name="left"/>'s followed by <paramref name="right"/>'s, if any.</summary>
    public bool TryGetMerge(int left, int right, out int merged) => _pairToMerged.TryGetValue(PairKey(left, right), out merged);

    private static long PairKey(int left, int right) => ((long)left << 32) | (uint)right;
}

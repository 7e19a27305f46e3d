using Google.Protobuf;
using Microsoft.ML.Tokenizers;

namespace RecurrentKif.Gpu.Tokenization;

/// <summary>
/// A SentencePiece model file (LLaMA's BPE <c>tokenizer.model</c>, or a Unigram <c>spiece.model</c>) behind
/// <see cref="ITextTokenizer"/>, using Microsoft.ML.Tokenizers' <see cref="SentencePieceTokenizer"/>.
/// </summary>
/// <remarks>
/// Models without a BOS piece, T5's among them, are rejected with a clear error: the library cannot load
/// them (see <see cref="FromStream"/>). On the same BPE vocabulary the ids equal <see cref="Llama2cTokenizer"/>'s
/// except (observed in 2.0.1) when overlapping pairs tie on score, as in "ooo" with piece "oo": the library
/// merges the rightmost pair, llama2.c the leftmost; and a literal U+2581 in the text, which the library
/// treats as a space.
/// </remarks>
public sealed class SentencePieceTextTokenizer : ITextTokenizer
{
    private readonly SentencePieceTokenizer _tokenizer;

    private SentencePieceTextTokenizer(SentencePieceTokenizer tokenizer, int pieceCount)
    {
        _tokenizer = tokenizer;
        // The library's Vocabulary leaves out byte and control pieces of Unigram models, so the model's
        // own piece count is the vocabulary size the embedding matrix has.
        VocabSize = pieceCount;
    }

    /// <summary>Reads a serialized SentencePiece ModelProto; BPE and Unigram models are both accepted.</summary>
    /// <param name="sourceName">Names the model in error messages (usually its path).</param>
    public static SentencePieceTextTokenizer FromStream(Stream modelStream, string sourceName = "(stream)")
    {
        using var buffer = new MemoryStream();
        modelStream.CopyTo(buffer);
        byte[] model = buffer.ToArray();

        SentencePieceModelSummary summary;
        try
        {
            summary = SentencePieceModelSummary.Read(model);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"Not a SentencePiece model (bad protobuf) in {sourceName}: {e.Message}", e);
        }
        // Microsoft.ML.Tokenizers 2.0.1 indexes its id table with bos_id without checking it, so a model
        // without BOS (T5's spiece.model has bos_id = -1) fails with an IndexOutOfRangeException.
        if (summary.BosId < 0)
            throw new NotSupportedException(
                $"SentencePiece model {sourceName} has no BOS piece (bos_id = {summary.BosId}, as in T5's spiece.model); " +
                "Microsoft.ML.Tokenizers 2.0.1 cannot load such models.");

        try
        {
            // BOS/EOS are chosen per call in Encode, so the tokenizer-wide defaults are both off.
            var tokenizer = SentencePieceTokenizer.Create(new MemoryStream(model), addBeginningOfSentence: false, addEndOfSentence: false);
            return new SentencePieceTextTokenizer(tokenizer, summary.PieceCount);
        }
        catch (Exception e) when (e is not IOException)
        {
            // The library's own messages do not say which model it was reading.
            throw new InvalidDataException($"Could not read SentencePiece model {sourceName}: {e.Message}", e);
        }
    }

    public static SentencePieceTextTokenizer Load(string modelPath)
    {
        if (!File.Exists(modelPath))
            throw new FileNotFoundException($"SentencePiece model file not found: {modelPath}", modelPath);
        using FileStream stream = File.OpenRead(modelPath);
        return FromStream(stream, modelPath);
    }

    public int VocabSize { get; }

    public int BosId => _tokenizer.BeginningOfSentenceId;

    public int EosId => _tokenizer.EndOfSentenceId;

    /// <summary>0: &lt;unk&gt; in LLaMA models, which LLaMA recipes pad with (&lt;pad&gt; in T5-style layouts).</summary>
    public int PadId => 0;

    public IReadOnlyList<int> Encode(string text, bool addBos)
    {
        // BOS is prepended here rather than by the library because the library omits it for empty text
        // (observed in 2.0.1), and callers rely on a prompt always starting with BOS when asked.
        IReadOnlyList<int> pieces = _tokenizer.EncodeToIds(text, addBeginningOfSentence: false, addEndOfSentence: false);
        if (!addBos) return pieces;
        var ids = new List<int>(pieces.Count + 1) { BosId };
        ids.AddRange(pieces);
        return ids;
    }

    /// <remarks>
    /// One known difference from <see cref="Llama2cTokenizer"/>: byte-fallback pieces that spell U+2581
    /// ('▁', SentencePiece's space marker) decode to a space here, because the library applies its
    /// ▁-to-space replacement after joining the bytes (observed in 2.0.1). Only text that itself contains
    /// U+2581 is affected.
    /// </remarks>
    public string Decode(IEnumerable<int> ids)
    {
        var kept = new List<int>();
        foreach (int id in ids)
        {
            if (id < 0 || id >= VocabSize)
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"token id outside the vocabulary of {VocabSize}");
            if (id == BosId || id == EosId || id == PadId) continue;
            kept.Add(id);
        }
        return _tokenizer.Decode(kept, considerSpecialTokens: false);
    }
}

using Google.Protobuf;
using Microsoft.ML.Tokenizers;

namespace RecurrentKif.Gpu.Tokenization;

/// <summary>
/// A SentencePiece model file (LLaMA's BPE <c>tokenizer.model</c>, or a Unigram <c>spiece.model</c>) behind
/// <see cref="ITextTokenizer"/>, using Microsoft.ML.Tokenizers' <see cref="SentencePieceTokenizer"/>.
/// </summary>
/// <remarks>
/// Models without a BOS piece (T5's spiece.model: pad 0, EOS 1, unk 2, bos_id −1) load through a rewrite of the
/// model bytes (see <see cref="WithoutBosWorkaround"/>); <see cref="BosId"/> is then −1 and asking for BOS is an
/// error. T5's 100 sentinel ids above the pieces (&lt;extra_id_N&gt;) are part of the vocabulary when
/// <c>extraIds</c> says so. On the same BPE vocabulary the ids equal <see cref="Llama2cTokenizer"/>'s
/// except (observed in 2.0.1) when overlapping pairs tie on score, as in "ooo" with piece "oo": the library
/// merges the rightmost pair, llama2.c the leftmost; and a literal U+2581 in the text, which the library
/// treats as a space.
/// </remarks>
public sealed class SentencePieceTextTokenizer : ITextTokenizer
{
    private readonly SentencePieceTokenizer _tokenizer;
    private readonly int _pieceCount;

    private SentencePieceTextTokenizer(SentencePieceTokenizer tokenizer, SentencePieceModelSummary summary, int extraIds)
    {
        _tokenizer = tokenizer;
        _pieceCount = summary.PieceCount;
        // The library's Vocabulary leaves out byte and control pieces of Unigram models, so the model's
        // own piece count (plus any sentinels) is the vocabulary size the embedding matrix has.
        VocabSize = summary.PieceCount + extraIds;
        BosId = summary.BosId;
        EosId = summary.EosId;
        // LLaMA's tokenizer.model has no pad piece and LLaMA recipes pad with 0 (unk); T5's pad piece is 0 too.
        PadId = summary.PadId >= 0 ? summary.PadId : 0;
    }

    /// <summary>Reads a serialized SentencePiece ModelProto; BPE and Unigram models are both accepted.</summary>
    /// <param name="sourceName">Names the model in error messages (usually its path).</param>
    /// <param name="extraIds">Sentinel ids after the pieces (T5: 100, decoded as &lt;extra_id_N&gt;, N counting down from the last id).</param>
    public static SentencePieceTextTokenizer FromStream(Stream modelStream, string sourceName = "(stream)", int extraIds = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(extraIds);
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
        if (summary.EosId < 0 || summary.EosId >= summary.PieceCount)
            throw new InvalidDataException($"SentencePiece model {sourceName} has no EOS piece (eos_id = {summary.EosId}); sequences could not end.");
        byte[] loadable = summary.BosId < 0 ? WithoutBosWorkaround(model, summary) : model;

        try
        {
            // BOS/EOS are chosen per call in Encode, so the tokenizer-wide defaults are both off.
            var tokenizer = SentencePieceTokenizer.Create(new MemoryStream(loadable), addBeginningOfSentence: false, addEndOfSentence: false);
            return new SentencePieceTextTokenizer(tokenizer, summary, extraIds);
        }
        catch (Exception e) when (e is not IOException)
        {
            // The library's own messages do not say which model it was reading.
            throw new InvalidDataException($"Could not read SentencePiece model {sourceName}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Microsoft.ML.Tokenizers 2.0.1 indexes its id table with bos_id without checking it, so a model without BOS
    /// fails with an IndexOutOfRangeException inside the library. The copy handed to it declares the EOS piece as
    /// BOS too (bos_id = eos_id, bos_piece = eos_piece): the library then registers one control piece twice, and
    /// since BOS is never requested from it (see <see cref="Encode"/>), segmentation and decoding are unchanged.
    /// The rewrite appends a second trainer_spec holding just those two fields: protobuf merges a repeated message
    /// field into the first, the later scalars winning, so every other setting of the model stays as it was.
    /// </summary>
    private static byte[] WithoutBosWorkaround(byte[] model, SentencePieceModelSummary summary)
    {
        using var patch = new MemoryStream();
        var spec = new CodedOutputStream(patch);
        spec.WriteTag(SentencePieceModelSummary.BosIdField, WireFormat.WireType.Varint);
        spec.WriteInt32(summary.EosId);
        spec.WriteTag(SentencePieceModelSummary.BosPieceField, WireFormat.WireType.LengthDelimited);
        spec.WriteString(summary.EosPiece);
        spec.Flush();

        using var output = new MemoryStream();
        output.Write(model);
        var appended = new CodedOutputStream(output);
        appended.WriteTag(SentencePieceModelSummary.TrainerSpecField, WireFormat.WireType.LengthDelimited);
        appended.WriteBytes(ByteString.CopyFrom(patch.ToArray()));
        appended.Flush();
        return output.ToArray();
    }

    public static SentencePieceTextTokenizer Load(string modelPath, int extraIds = 0)
    {
        if (!File.Exists(modelPath))
            throw new FileNotFoundException($"SentencePiece model file not found: {modelPath}", modelPath);
        using FileStream stream = File.OpenRead(modelPath);
        return FromStream(stream, modelPath, extraIds);
    }

    public int VocabSize { get; }

    /// <summary>The model's BOS id, or −1 when it has none (T5).</summary>
    public int BosId { get; }

    public int EosId { get; }

    /// <summary>The model's pad piece (T5: 0), else 0 (&lt;unk&gt; in LLaMA models, which LLaMA recipes pad with).</summary>
    public int PadId { get; }

    public IReadOnlyList<int> Encode(string text, bool addBos)
    {
        if (addBos && BosId < 0)
            throw new InvalidOperationException("this SentencePiece model has no BOS piece (bos_id = -1, as T5's); encode without BOS");
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
        var text = new System.Text.StringBuilder();
        var run = new List<int>();
        foreach (int id in ids)
        {
            if (id < 0 || id >= VocabSize)
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"token id outside the vocabulary of {VocabSize}");
            if (id == BosId || id == EosId || id == PadId) continue;
            if (id < _pieceCount)
            {
                run.Add(id);
                continue;
            }
            // A sentinel: HF's T5 tokenizer names the last id <extra_id_0>, the one before <extra_id_1>, ….
            text.Append(_tokenizer.Decode(run, considerSpecialTokens: false)).Append($"<extra_id_{VocabSize - 1 - id}>");
            run.Clear();
        }
        return text.Append(_tokenizer.Decode(run, considerSpecialTokens: false)).ToString();
    }
}

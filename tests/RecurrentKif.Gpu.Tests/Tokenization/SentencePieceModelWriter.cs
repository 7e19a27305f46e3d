using Google.Protobuf;

namespace RecurrentKif.Gpu.Tests.Tokenization;

/// <summary>
/// Writes a SentencePiece ModelProto by hand, field by field. Field numbers are those of
/// sentencepiece_model.proto: ModelProto {1 pieces, 2 trainer_spec, 3 normalizer_spec};
/// SentencePiece {1 piece, 2 score, 3 type}; TrainerSpec {3 model_type, 4 vocab_size, 35 byte_fallback,
/// 40 unk_id, 41 bos_id, 42 eos_id, 43 pad_id}; NormalizerSpec {1 name, 3 add_dummy_prefix,
/// 4 remove_extra_whitespaces, 5 escape_whitespaces}.
/// </summary>
internal static class SentencePieceModelWriter
{
    public enum PieceType { Normal = 1, Unknown = 2, Control = 3, UserDefined = 4, Unused = 5, Byte = 6 }

    public enum ModelType { Unigram = 1, Bpe = 2 }

    public sealed record Piece(string Text, float Score, PieceType Type);

    public sealed record Specials(int UnkId, int BosId, int EosId, int PadId);

    public static byte[] Write(IReadOnlyList<Piece> pieces, ModelType modelType, Specials specials, bool byteFallback)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        foreach (Piece piece in pieces) WriteMessage(output, 1, PieceMessage(piece));
        WriteMessage(output, 2, TrainerSpec(modelType, pieces.Count, specials, byteFallback));
        WriteMessage(output, 3, NormalizerSpec());
        output.Flush();
        return buffer.ToArray();
    }

    private static byte[] PieceMessage(Piece piece) => Message(output =>
    {
        output.WriteTag(1, WireFormat.WireType.LengthDelimited);
        output.WriteString(piece.Text);
        output.WriteTag(2, WireFormat.WireType.Fixed32);
        output.WriteFloat(piece.Score);
        output.WriteTag(3, WireFormat.WireType.Varint);
        output.WriteEnum((int)piece.Type);
    });

    private static byte[] TrainerSpec(ModelType modelType, int vocabSize, Specials specials, bool byteFallback) => Message(output =>
    {
        output.WriteTag(3, WireFormat.WireType.Varint);
        output.WriteEnum((int)modelType);
        output.WriteTag(4, WireFormat.WireType.Varint);
        output.WriteInt32(vocabSize);
        output.WriteTag(35, WireFormat.WireType.Varint);
        output.WriteBool(byteFallback);
        // int32 fields: a -1 (no such piece) is written as a 10-byte varint, as protobuf requires.
        (int field, int value)[] ids = [(40, specials.UnkId), (41, specials.BosId), (42, specials.EosId), (43, specials.PadId)];
        foreach ((int field, int value) in ids)
        {
            output.WriteTag(field, WireFormat.WireType.Varint);
            output.WriteInt32(value);
        }
    });

    /// <summary>No normalization beyond SentencePiece's own space handling, as in LLaMA's tokenizer.model.</summary>
    private static byte[] NormalizerSpec() => Message(output =>
    {
        output.WriteTag(1, WireFormat.WireType.LengthDelimited);
        output.WriteString("identity");
        output.WriteTag(3, WireFormat.WireType.Varint);
        output.WriteBool(true);
        output.WriteTag(4, WireFormat.WireType.Varint);
        output.WriteBool(false);
        output.WriteTag(5, WireFormat.WireType.Varint);
        output.WriteBool(true);
    });

    private static byte[] Message(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        write(output);
        output.Flush();
        return buffer.ToArray();
    }

    private static void WriteMessage(CodedOutputStream output, int field, byte[] message)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(message));
    }
}

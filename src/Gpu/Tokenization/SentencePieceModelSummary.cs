using Google.Protobuf;

namespace RecurrentKif.Gpu.Tokenization;

/// <summary>
/// The few facts of a serialized SentencePiece ModelProto that Microsoft.ML.Tokenizers does not expose
/// reliably: how many pieces there are and the special ids. Read straight from the protobuf wire format
/// (ModelProto field 1 = pieces, field 2 = trainer_spec; TrainerSpec fields 40–43 = unk/bos/eos/pad ids with
/// defaults 0, 1, 2, −1, field 47 = eos_piece with default "&lt;/s&gt;").
/// </summary>
internal sealed record SentencePieceModelSummary(int PieceCount, int UnkId, int BosId, int EosId, int PadId, string EosPiece)
{
    public const int TrainerSpecField = 2, BosIdField = 41, BosPieceField = 46;
    private const int UnkIdField = 40, EosIdField = 42, PadIdField = 43, EosPieceField = 47;

    public static SentencePieceModelSummary Read(byte[] model)
    {
        var input = new CodedInputStream(model);
        int pieces = 0;
        var summary = new SentencePieceModelSummary(0, 0, 1, 2, -1, "</s>");
        for (uint tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    pieces++;
                    input.SkipLastField();
                    break;
                case TrainerSpecField:
                    summary = ReadTrainerSpec(input.ReadBytes(), summary);
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }
        return summary with { PieceCount = pieces };
    }

    // Protobuf merges repeated occurrences of a message field, later scalars winning; reading on top of the
    // summary so far does the same.
    private static SentencePieceModelSummary ReadTrainerSpec(ByteString trainerSpec, SentencePieceModelSummary summary)
    {
        var input = new CodedInputStream(trainerSpec.ToByteArray());
        for (uint tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            int field = WireFormat.GetTagFieldNumber(tag);
            bool varint = WireFormat.GetTagWireType(tag) == WireFormat.WireType.Varint;
            summary = (field, varint) switch
            {
                (UnkIdField, true) => summary with { UnkId = input.ReadInt32() },
                (BosIdField, true) => summary with { BosId = input.ReadInt32() },
                (EosIdField, true) => summary with { EosId = input.ReadInt32() },
                (PadIdField, true) => summary with { PadId = input.ReadInt32() },
                (EosPieceField, false) => summary with { EosPiece = input.ReadString() },
                _ => Skip(input, summary),
            };
        }
        return summary;
    }

    private static SentencePieceModelSummary Skip(CodedInputStream input, SentencePieceModelSummary summary)
    {
        input.SkipLastField();
        return summary;
    }
}

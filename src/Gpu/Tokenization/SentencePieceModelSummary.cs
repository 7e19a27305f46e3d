using Google.Protobuf;

namespace RecurrentKif.Gpu.Tokenization;

/// <summary>
/// The few facts of a serialized SentencePiece ModelProto that Microsoft.ML.Tokenizers does not expose
/// reliably: how many pieces there are and which id is BOS. Read straight from the protobuf wire format
/// (ModelProto field 1 = pieces, field 2 = trainer_spec; TrainerSpec field 41 = bos_id, default 1).
/// </summary>
internal sealed record SentencePieceModelSummary(int PieceCount, int BosId)
{
    public static SentencePieceModelSummary Read(byte[] model)
    {
        var input = new CodedInputStream(model);
        int pieces = 0, bosId = 1;
        for (uint tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    pieces++;
                    input.SkipLastField();
                    break;
                case 2:
                    bosId = ReadBosId(input.ReadBytes());
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }
        return new SentencePieceModelSummary(pieces, bosId);
    }

    private static int ReadBosId(ByteString trainerSpec)
    {
        var input = new CodedInputStream(trainerSpec.ToByteArray());
        int bosId = 1;
        for (uint tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            if (WireFormat.GetTagFieldNumber(tag) == 41 && WireFormat.GetTagWireType(tag) == WireFormat.WireType.Varint)
                bosId = input.ReadInt32();
            else
                input.SkipLastField();
        }
        return bosId;
    }
}

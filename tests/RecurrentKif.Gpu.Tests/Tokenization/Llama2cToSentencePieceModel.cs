using System.Text;
using RecurrentKif.Gpu.Tokenization;
using static RecurrentKif.Gpu.Tests.Tokenization.SentencePieceModelWriter;

namespace RecurrentKif.Gpu.Tests.Tokenization;

/// <summary>
/// Turns a llama2.c tokenizer.bin into the SentencePiece BPE model it was exported from (as LLaMA's
/// tokenizer.model looks), so the two implementations can be run on the same vocabulary.
/// </summary>
internal static class Llama2cToSentencePieceModel
{
    public static byte[] Convert(string tokenizerBinPath)
    {
        Llama2cVocabulary vocabulary = Llama2cVocabulary.Load(tokenizerBinPath);
        var pieces = new List<Piece>(vocabulary.Count);
        for (int id = 0; id < vocabulary.Count; id++)
        {
            // llama2.c's export writes BOS/EOS as "\n<s>\n" / "\n</s>\n" for printing; SentencePiece names them <s>, </s>.
            (string text, PieceType type) = id switch
            {
                Llama2cVocabulary.UnkId => ("<unk>", PieceType.Unknown),
                Llama2cVocabulary.BosId => ("<s>", PieceType.Control),
                Llama2cVocabulary.EosId => ("</s>", PieceType.Control),
                < Llama2cVocabulary.FirstNormalId => ($"<0x{id - Llama2cVocabulary.FirstByteId:X2}>", PieceType.Byte),
                _ => (Encoding.UTF8.GetString(vocabulary.Piece(id)).Replace(' ', '\u2581'), PieceType.Normal),
            };
            pieces.Add(new Piece(text, vocabulary.Score(id), type));
        }
        var specials = new Specials(UnkId: 0, BosId: 1, EosId: 2, PadId: -1);
        return Write(pieces, ModelType.Bpe, specials, byteFallback: true);
    }
}

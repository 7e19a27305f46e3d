using System.Text;

namespace RecurrentKif.Gpu.Tokenization;

/// <summary>
/// Writes a llama2.c <c>tokenizer.bin</c> (int32 max piece length, then per piece: float32 score, int32 byte length,
/// UTF-8 bytes), the format <see cref="Llama2cVocabulary"/> reads. Ids follow the list order, so the list must start
/// with the three specials and the 256 byte-fallback pieces (<see cref="StandardPrefix"/>).
/// </summary>
public static class Llama2cTokenizerWriter
{
    /// <summary>Ids 0–258: &lt;unk&gt;, BOS, EOS, then &lt;0x00&gt;…&lt;0xFF&gt;, all scored 0.</summary>
    public static IReadOnlyList<(string Piece, float Score)> StandardPrefix { get; } =
    [
        ("<unk>", 0f), ("\n<s>\n", 0f), ("\n</s>\n", 0f),
        .. Enumerable.Range(0, Llama2cVocabulary.ByteCount).Select(b => ($"<0x{b:X2}>", 0f)),
    ];

    public static byte[] Bytes(IReadOnlyList<(string Piece, float Score)> pieces)
    {
        ArgumentNullException.ThrowIfNull(pieces);
        if (pieces.Count < Llama2cVocabulary.FirstNormalId || !pieces.Take(Llama2cVocabulary.FirstNormalId).SequenceEqual(StandardPrefix))
            throw new ArgumentException("a llama2.c vocabulary starts with <unk>, BOS, EOS and the 256 byte pieces", nameof(pieces));
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer))
        {
            writer.Write(pieces.Max(p => Encoding.UTF8.GetByteCount(p.Piece)));
            foreach (var (piece, score) in pieces)
            {
                byte[] bytes = Encoding.UTF8.GetBytes(piece);
                writer.Write(score);
                writer.Write(bytes.Length);
                writer.Write(bytes);
            }
        }
        return buffer.ToArray();
    }
}

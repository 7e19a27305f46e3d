using System.Text;

namespace RecurrentKif.Gpu.BuiltIn;

/// <summary>
/// Writes the built-in model's tokenizer: a llama2.c tokenizer.bin with no merges, only &lt;unk&gt;, BOS, EOS and
/// the 256 byte pieces, so every text is encoded byte by byte (ids = byte + 3) by the same Llama2cTokenizer that
/// reads real llama2.c vocabularies. Byte-level keeps the built-in model honest: it has to learn spelling itself.
/// </summary>
public static class ByteTokenizerFile
{
    public const int VocabSize = 259;

    public static void Write(string path)
    {
        var pieces = new List<string> { "<unk>", "\n<s>\n", "\n</s>\n" };
        pieces.AddRange(Enumerable.Range(0, 256).Select(b => $"<0x{b:X2}>"));
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write(pieces.Max(p => Encoding.UTF8.GetByteCount(p)));
        foreach (var piece in pieces)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(piece);
            writer.Write(0f);
            writer.Write(bytes.Length);
            writer.Write(bytes);
        }
    }
}

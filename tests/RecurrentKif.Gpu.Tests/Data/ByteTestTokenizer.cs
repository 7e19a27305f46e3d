using System.Text;
using RecurrentKif.Gpu.Tokenization;

namespace RecurrentKif.Gpu.Tests.Data;

/// <summary>Deterministic stand-in tokenizer for data tests: one id per UTF-8 byte (byte + 3), BOS 1, EOS 2, pad 0.</summary>
internal sealed class ByteTestTokenizer : ITextTokenizer
{
    public const int Offset = 3;

    public int VocabSize => 256 + Offset;
    public int BosId => 1;
    public int EosId => 2;
    public int PadId => 0;

    public IReadOnlyList<int> Encode(string text, bool addBos)
    {
        var ids = new List<int>(text.Length + 1);
        if (addBos) ids.Add(BosId);
        foreach (byte b in Encoding.UTF8.GetBytes(text)) ids.Add(b + Offset);
        return ids;
    }

    public string Decode(IEnumerable<int> ids) =>
        Encoding.UTF8.GetString(ids.Where(id => id >= Offset).Select(id => (byte)(id - Offset)).ToArray());
}

namespace RecurrentKif.Gpu.Tokenization.HuggingFace;

/// <summary>
/// GPT-2's byte-level alphabet, which every byte-level BPE tokenizer.json (Llama-3, Qwen2) spells its vocabulary in:
/// each of the 256 bytes is one printable character. Printable Latin-1 bytes stand for themselves; the others
/// (control characters, space, DEL, NBSP, soft hyphen) take the characters from U+0100 on, in byte order, so the
/// space byte is 'Ġ' (U+0120) and the newline byte 'Ċ' (U+010A). See docs/tokenizers.md.
/// </summary>
public static class ByteLevelAlphabet
{
    private static readonly char[] CharOfByte = BuildCharOfByte();
    private static readonly Dictionary<char, byte> ByteOfChar =
        Enumerable.Range(0, 256).ToDictionary(b => CharOfByte[b], b => (byte)b);

    /// <summary>The character that stands for <paramref name="value"/>.</summary>
    public static char CharOf(byte value) => CharOfByte[value];

    /// <summary>The byte <paramref name="c"/> stands for; false when it is not one of the 256 alphabet characters.</summary>
    public static bool TryGetByte(char c, out byte value) => ByteOfChar.TryGetValue(c, out value);

    /// <summary>The alphabet's spelling of <paramref name="text"/>'s UTF-8 bytes: one character per byte.</summary>
    public static string Spell(ReadOnlySpan<char> text)
    {
        var bytes = new byte[System.Text.Encoding.UTF8.GetByteCount(text)];
        System.Text.Encoding.UTF8.GetBytes(text, bytes);
        return string.Create(bytes.Length, bytes, static (chars, source) =>
        {
            for (int i = 0; i < source.Length; i++) chars[i] = CharOfByte[source[i]];
        });
    }

    private static char[] BuildCharOfByte()
    {
        var map = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++)
        {
            bool printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            map[b] = printable ? (char)b : (char)next++;
        }
        return map;
    }
}

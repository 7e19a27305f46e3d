namespace RecurrentKif.Gpu.Tokenization.HuggingFace;

/// <summary>
/// Unicode NFC (canonical composition), the normalizer of Qwen2's tokenizer.json. The projects build with
/// InvariantGlobalization, under which <see cref="string.Normalize()"/> leaves non-ASCII text as it is, so the
/// composition comes from ADRaffy.ENSNormalize's managed implementation of the Unicode algorithm and data instead.
/// </summary>
public static class UnicodeNfc
{
    /// <summary>The Unicode version of the composition data.</summary>
    public static string UnicodeVersion => ADRaffy.ENSNormalize.ENSNormalize.NF.UnicodeVersion;

    public static string Normalize(string text)
    {
        // Below U+0300 there are no combining marks and no characters NFC replaces, so such text is already NFC.
        foreach (char c in text)
            if (c >= '\u0300') return ADRaffy.ENSNormalize.ENSNormalize.NF.NFC(text);
        return text;
    }
}

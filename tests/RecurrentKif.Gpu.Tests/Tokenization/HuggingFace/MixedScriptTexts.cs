using System.Text;

namespace RecurrentKif.Gpu.Tests.Tokenization.HuggingFace;

/// <summary>
/// Seeded random texts built from fragments that exercise every branch of the Llama-3 / Qwen2 split patterns and of
/// the added-token matching: words in several scripts, contractions in both cases, digit runs, punctuation runs,
/// white-space runs with \r and \n, decomposed accents, emoji, letters and digits outside the BMP, and special-token
/// spellings whole and cut.
/// </summary>
public static class MixedScriptTexts
{
    private static readonly string[] Fragments =
    [
        "the", "The", "THE", " cat", "  dog", "naïve", "café", "e\u0301", "a\u0308\u0301", "o\u0323\u0302", "Å", "\u212B", "straße",
        "中文", "日本語", "한국어", "\u1100\u1161", "Привет", "Ελληνικά", "עברית", "العربية", "हिन्दी", "ไทย",
        "'s", "'S", "'t", "'re", "'VE", "'m", "'ll", "'D", "'\u017F", "'x", "don't", "I'M",
        "1", "12", "123", "1234", "1234567", "3.14", "٣٤٥", "½", "²", "𝟙𝟚",
        ".", ",", "!!", "?!", "...", "—", "(", ")", "[x]", "{}", "<", ">", "|", "#", "$", "%", "&&", "**", "->",
        " ", "  ", "   ", "\t", "\t\t", "\n", "\n\n", "\r\n", " \n ", "\u00A0", "\u3000", "\u2003",
        "😀", "👍🏽", "👩‍👩‍👧", "🇫🇷", "✨", "𝐀𝐁𝐂", "𠀀𠀁", "𐍈",
        "<|begin_of_text|>", "<|end_of_text|>", "<|endoftext|>", "<|im_start|>", "<|im_end|>", "<think>", "</think>",
        "<|im_", "end|>", "<|", "|>", "<|reserved_special_token_5|>",
    ];

    public static IReadOnlyList<string> Make(int count, int seed)
    {
        var random = new Random(seed);
        var texts = new List<string>(count);
        for (int i = 0; i < count; i++)
        {
            var text = new StringBuilder();
            int pieces = random.Next(1, 16);
            for (int p = 0; p < pieces; p++) text.Append(Fragments[random.Next(Fragments.Length)]);
            texts.Add(text.ToString());
        }
        return texts;
    }
}

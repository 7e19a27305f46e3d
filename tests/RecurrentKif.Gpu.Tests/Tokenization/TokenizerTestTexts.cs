using System.Text.Json;

namespace RecurrentKif.Gpu.Tests.Tokenization;

/// <summary>About 200 texts for comparing encoders: hand-picked edge cases plus real SST-2 inputs.</summary>
internal static class TokenizerTestTexts
{
    public static string Stories260kTokenizerBin => Path.Combine(SharedFixtures.Stories260k, "tokenizer.bin");

    public const string GoldenOpening = "Once upon a time, there was a little girl named Lily.";

    private static readonly string[] EdgeCases =
    [
        "", " ", "  ", "a", "A", ".", "\n", "\t", "\r\n", "the", " the", "the ", "  the  ", "Lily", "lily", "LILY",
        GoldenOpening,
        "Once upon a time, there was a little girl named Lily. She loved to play outside in the park. One day, she saw a big, red ball.",
        "café – naïve 😀", "日本語のテキスト", "Ελληνικά", "Привет, мир!", "emoji 👩‍👩‍👧 family", "\u200a hair space\u200a",
        "<unk> <s> </s> <0x41> ▁", "tabs\tand\nnewlines\r\n", "multiple     spaces", "trailing space ",
        "1234567890", "3.14159 + 2.71828 = 5.85987", "a-b_c~d]e[f{g}h|i\\j", "\"quoted\" 'single' `back`",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "the the the the the the", "thethethethe",
        "Tom and Sue went to the store to buy some milk and bread.", "ÀÁÂÃÄÅÆÇÈÉÊË", "\u00e9 vs e\u0301",
        "zero\u0000byte", "\ud83d\ude00\ud83d\ude00\ud83d\ude00", "mixed 中文 and English", "x",
    ];

    /// <summary>
    /// Texts where overlapping pairs tie on score ("oo", "ll", "pp" are pieces; "ooo" can merge either pair):
    /// llama2.c's scan merges the leftmost pair.
    /// </summary>
    public static readonly string[] TieBreakCases = ["(ooo)", "[lllll]", "{ppp}", "7ooooooo"];

    /// <summary>The edge and tie-break cases and the first SST-2 training inputs, 200 texts in all.</summary>
    public static IReadOnlyList<string> All { get; } =
        EdgeCases.Concat(TieBreakCases).Concat(Sst2Inputs(200 - EdgeCases.Length - TieBreakCases.Length)).ToArray();

    private static IEnumerable<string> Sst2Inputs(int count)
    {
        string path = Path.Combine(SharedFixtures.LongSequence, "train", "sst-2.json");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.EnumerateArray()
            .Select(example => example.GetProperty("input").GetString() ?? "")
            .Take(count)
            .ToArray();
    }
}

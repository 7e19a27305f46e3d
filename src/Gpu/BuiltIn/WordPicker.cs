using RecurrentKif.Gpu.Data;

namespace RecurrentKif.Gpu.BuiltIn;

/// <summary>Word lists shared by several task families and a uniform pick from a list.</summary>
internal static class WordPicker
{
    public static readonly string[] Names =
        ["Anna", "Ben", "Clara", "David", "Emma", "Felix", "Grace", "Henry", "Iris", "Jack", "Lena", "Omar"];

    public static readonly string[] Times =
        ["on Monday", "on Friday", "last night", "this morning", "at lunch", "after school", "on Sunday", "yesterday"];

    public static string Pick(this SeededRandom rng, IReadOnlyList<string> words) => words[rng.NextInt(words.Count)];
}

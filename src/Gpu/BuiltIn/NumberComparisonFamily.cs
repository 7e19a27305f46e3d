using RecurrentKif.Gpu.Data;

namespace RecurrentKif.Gpu.BuiltIn;

/// <summary>Whether the first of two numbers below 100 is larger than the second.</summary>
internal sealed class NumberComparisonFamily : BuiltInTaskFamily
{
    private static readonly string[] Templates =
    [
        "Question: Is {a} larger than {b}?",
        "Question: Is {a} greater than {b}?",
        "Question: Is the number {a} bigger than {b}?",
        "Question: {name} has {a} marbles and {name2} has {b}. Does {name} have more?",
    ];

    public override string Name => "compare";
    protected override string Question => "Is the answer to the following question true or false?";
    public override IReadOnlyList<string> Labels { get; } = ["True", "False"];

    public override string MakeText(SeededRandom rng, int labelIndex)
    {
        int a = rng.NextInt(100), b = rng.NextInt(99);
        if (b >= a) b++; // b is now uniform over the numbers different from a
        if ((a > b) != (labelIndex == 0)) (a, b) = (b, a);
        string name = rng.Pick(WordPicker.Names), other = rng.Pick(WordPicker.Names);
        if (other == name) other = "Zoe";
        return rng.Pick(Templates)
            .Replace("{a}", a.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Replace("{b}", b.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Replace("{name2}", other)
            .Replace("{name}", name);
    }
}

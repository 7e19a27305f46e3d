using RecurrentKif.Gpu.Data;

namespace RecurrentKif.Gpu.BuiltIn;

/// <summary>Parity of the one number in a sentence: decided by its last digit.</summary>
internal sealed class NumberParityFamily : BuiltInTaskFamily
{
    private static readonly string[] Things = ["apples", "stones", "coins", "birds", "books", "chairs", "shells", "stamps"];
    private static readonly string[] Templates =
    [
        "Text: {name} counted {n} {things} {time}.",
        "Text: There are {n} {things} in the box.",
        "Text: The ticket number is {n}.",
        "Text: {name} scored {n} points {time}.",
        "Text: The shop sold {n} {things} {time}.",
    ];

    public override string Name => "parity";
    protected override string Question => "Is the number in the following text divisible by two?";
    public override IReadOnlyList<string> Labels { get; } = ["Even", "Odd"];

    public override string MakeText(SeededRandom rng, int labelIndex)
    {
        int n = 2 * (1 + rng.NextInt(499)) + labelIndex; // 2..999, parity fixed by the label
        return rng.Pick(Templates)
            .Replace("{n}", n.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Replace("{things}", rng.Pick(Things))
            .Replace("{time}", rng.Pick(WordPicker.Times))
            .Replace("{name}", rng.Pick(WordPicker.Names));
    }
}

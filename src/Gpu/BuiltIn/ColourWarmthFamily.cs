using RecurrentKif.Gpu.Data;

namespace RecurrentKif.Gpu.BuiltIn;

/// <summary>Whether the one colour named in a sentence is a warm or a cool colour.</summary>
internal sealed class ColourWarmthFamily : BuiltInTaskFamily
{
    private static readonly string[][] ColoursByLabel =
    [
        ["red", "orange", "yellow", "pink", "crimson", "amber", "scarlet", "golden"],
        ["blue", "green", "purple", "teal", "navy", "turquoise", "violet", "cyan"],
    ];
    private static readonly string[] Objects = ["scarf", "bicycle", "door", "umbrella", "kite", "mug", "jacket", "lamp", "boat", "hat"];
    private static readonly string[] Templates =
    [
        "Text: {name} bought the {colour} {object} at the market.",
        "Text: The {object} on the table is {colour}.",
        "Text: {name} painted the {object} {colour} {time}.",
        "Text: I lost my {colour} {object} {time}.",
        "Text: The {colour} {object} stood by the window.",
    ];

    public override string Name => "colour";
    protected override string Question => "Is the colour in the following sentence a warm or a cool colour?";
    public override IReadOnlyList<string> Labels { get; } = ["Warm", "Cool"];

    public override IReadOnlyList<IReadOnlyList<string>> Continuations { get; } =
    [
        ["It glowed like fire.", "It looked like the sun.", "It reminded me of flames."],
        ["It looked like ice.", "It reminded me of the sea.", "It felt like a winter night."],
    ];

    public override string MakeText(SeededRandom rng, int labelIndex) =>
        rng.Pick(Templates)
            .Replace("{colour}", rng.Pick(ColoursByLabel[labelIndex]))
            .Replace("{object}", rng.Pick(Objects))
            .Replace("{time}", rng.Pick(WordPicker.Times))
            .Replace("{name}", rng.Pick(WordPicker.Names));
}

using RecurrentKif.Gpu.Data;

namespace RecurrentKif.Gpu.BuiltIn;

/// <summary>Sentiment of a one-line review: decided by the adjective (praising or complaining).</summary>
internal sealed class ReviewSentimentFamily : BuiltInTaskFamily
{
    private static readonly string[] Things =
        ["film", "meal", "hotel", "concert", "book", "phone", "service", "trip", "show", "coffee", "lesson", "museum"];
    private static readonly string[] Praising =
        ["excellent", "wonderful", "lovely", "delightful", "great", "superb", "charming", "brilliant", "pleasant", "fantastic"];
    private static readonly string[] Complaining =
        ["awful", "terrible", "boring", "dreadful", "horrible", "dull", "poor", "disappointing", "miserable", "unpleasant"];
    private static readonly string[] Intensifiers = ["", "really ", "truly ", "quite ", "very "];
    private static readonly string[] Templates =
    [
        "Text: The {thing} was {how}{adjective}.",
        "Text: I thought the {thing} was {how}{adjective}.",
        "Text: Honestly, the {thing} {time} felt {how}{adjective} to me.",
        "Text: {name} said the {thing} was {how}{adjective}, and I agree.",
        "Text: Our {thing} {time} was {how}{adjective}.",
    ];

    public override string Name => "review";
    protected override string Question => "What is the sentiment of the following review?";
    public override IReadOnlyList<string> Labels { get; } = ["Good", "Bad"];

    public override IReadOnlyList<IReadOnlyList<string>> Continuations { get; } =
    [
        ["I loved it.", "We would gladly go again.", "It made my day.", "Everyone was smiling."],
        ["I hated it.", "We will never go again.", "It ruined my day.", "Everyone was frowning."],
    ];

    public override string MakeText(SeededRandom rng, int labelIndex) =>
        rng.Pick(Templates)
            .Replace("{thing}", rng.Pick(Things))
            .Replace("{how}", rng.Pick(Intensifiers))
            .Replace("{adjective}", rng.Pick(labelIndex == 0 ? Praising : Complaining))
            .Replace("{time}", rng.Pick(WordPicker.Times))
            .Replace("{name}", rng.Pick(WordPicker.Names));
}

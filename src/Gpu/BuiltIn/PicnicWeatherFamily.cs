using RecurrentKif.Gpu.Data;

namespace RecurrentKif.Gpu.BuiltIn;

/// <summary>
/// Whether the weather in a sentence is good or bad for a picnic. It answers with the review task's words (Good, Bad)
/// but by another rule (the weather, not an adjective), so learning one after the other overwrites the first one's
/// answers unless something keeps them: the forgetting the built-in sequence is meant to show.
/// </summary>
internal sealed class PicnicWeatherFamily : BuiltInTaskFamily
{
    private static readonly string[][] WeatherByLabel =
    [
        ["bright sunshine", "a clear blue sky", "mild sunny weather", "a gentle breeze", "soft spring sunshine", "a calm dry afternoon", "a few fluffy clouds", "clear skies"],
        ["pouring rain", "a violent storm", "freezing sleet", "thick dark clouds and rain", "a heavy hailstorm", "strong gales", "icy drizzle", "a thunderstorm"],
    ];
    private static readonly string[] Places = ["the park", "the beach", "the meadow", "the lake", "the hills", "the garden", "the river bank", "the forest"];
    private static readonly string[] Templates =
    [
        "Text: The forecast for {place} {time} is {weather}.",
        "Text: {name} looked outside and saw {weather} over {place}.",
        "Text: At {place} {time} there was {weather}.",
        "Text: {name} says {place} will have {weather} {time}.",
        "Text: We expect {weather} at {place} {time}.",
    ];

    public override string Name => "picnic";
    protected override string Question => "Is the weather in the following text good or bad for a picnic?";
    public override IReadOnlyList<string> Labels { get; } = ["Good", "Bad"];

    public override IReadOnlyList<IReadOnlyList<string>> Continuations { get; } =
    [
        ["We spread a blanket on the grass.", "The children played outside all day.", "We ate lunch in the open air.", "It was perfect for being outdoors."],
        ["We stayed indoors all day.", "Everyone ran for shelter.", "The children had to play inside.", "Nobody wanted to go out."],
    ];

    public override string MakeText(SeededRandom rng, int labelIndex) =>
        rng.Pick(Templates)
            .Replace("{weather}", rng.Pick(WeatherByLabel[labelIndex]))
            .Replace("{place}", rng.Pick(Places))
            .Replace("{time}", rng.Pick(WordPicker.Times))
            .Replace("{name}", rng.Pick(WordPicker.Names));
}

using RecurrentKif.Gpu.Data;

namespace RecurrentKif.Gpu.BuiltIn;

/// <summary>Topic of a sentence: decided by the one subject phrase it talks about.</summary>
internal sealed class SentenceTopicFamily : BuiltInTaskFamily
{
    private static readonly string[][] SubjectsByLabel =
    [
        ["the cat", "a horse", "the rabbits", "a fox", "the owl", "a dolphin", "the tiger", "a goat", "the parrot", "a turtle"],
        ["the bread", "fresh soup", "a pizza", "the cheese", "a salad", "hot noodles", "the pancakes", "spicy curry", "apple pie", "fried rice"],
        ["tennis", "football", "ice hockey", "cycling", "swimming", "rugby", "golf", "boxing", "rowing", "basketball"],
        ["the rain", "heavy snow", "the fog", "loud thunder", "the sunshine", "hail", "strong wind", "the frost", "light drizzle", "the heat wave"],
    ];
    private static readonly string[] Templates =
    [
        "Text: {name} kept talking about {subject} {time}.",
        "Text: My sister wrote a short story about {subject}.",
        "Text: The radio show {time} was all about {subject}.",
        "Text: Nobody at the party could stop mentioning {subject}.",
        "Text: {name} sent me a long letter about {subject}.",
        "Text: We heard a lot about {subject} {time}.",
    ];

    public override string Name => "topic";
    protected override string Question => "What is the topic of the following sentence?";
    public override IReadOnlyList<string> Labels { get; } = ["Animal", "Food", "Sport", "Weather"];

    public override IReadOnlyList<IReadOnlyList<string>> Continuations { get; } =
    [
        ["It has fur and four legs.", "It lives in the wild.", "It eats grass and leaves."],
        ["It tasted delicious.", "It was served for dinner.", "It came straight from the kitchen."],
        ["The match was exciting.", "The team trained very hard.", "The players won the cup."],
        ["The sky changed quickly.", "The forecast had warned us.", "It came from the clouds."],
    ];

    public override string MakeText(SeededRandom rng, int labelIndex) =>
        rng.Pick(Templates)
            .Replace("{subject}", rng.Pick(SubjectsByLabel[labelIndex]))
            .Replace("{time}", rng.Pick(WordPicker.Times))
            .Replace("{name}", rng.Pick(WordPicker.Names));
}

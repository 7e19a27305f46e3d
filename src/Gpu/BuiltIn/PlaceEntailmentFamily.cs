using RecurrentKif.Gpu.Data;

namespace RecurrentKif.Gpu.BuiltIn;

/// <summary>
/// Premise/hypothesis pairs about where someone is: the hypothesis follows when it names the premise's
/// place and contradicts it when it names another place (a person is in one place at a time).
/// </summary>
internal sealed class PlaceEntailmentFamily : BuiltInTaskFamily
{
    private static readonly string[] Activities = ["reading", "sleeping", "cooking", "singing", "waiting", "painting", "working"];
    private static readonly string[] Places = ["kitchen", "garden", "library", "station", "park", "office", "garage", "attic"];

    public override string Name => "entail";
    protected override string Question => "What is the logical relationship between the \"sentence 1\" and the \"sentence 2\"?";
    public override IReadOnlyList<string> Labels { get; } = ["entailment", "contradiction"];

    public override string MakeText(SeededRandom rng, int labelIndex)
    {
        string name = rng.Pick(WordPicker.Names);
        int place = rng.NextInt(Places.Length);
        int claimed = place;
        if (labelIndex == 1)
        {
            claimed = rng.NextInt(Places.Length - 1);
            if (claimed >= place) claimed++;
        }
        return $"sentence 1: {name} is {rng.Pick(Activities)} in the {Places[place]} {rng.Pick(WordPicker.Times)}.\n" +
               $"sentence 2: {name} is in the {Places[claimed]}.";
    }
}

namespace RecurrentKif.Gpu.Evaluation;

/// <summary>
/// The benchmark's score (docs/algorithm.md §5.3): lower-cased exact string match after trimming, with a trailing
/// "&lt;/s&gt;" removed from the prediction.
/// </summary>
public static class ExactMatch
{
    public static string Normalize(string text)
    {
        string trimmed = text.Trim();
        if (trimmed.EndsWith("</s>", StringComparison.Ordinal)) trimmed = trimmed[..^4].TrimEnd();
        return trimmed.ToLowerInvariant();
    }

    public static bool Matches(string prediction, string gold) => Normalize(prediction) == Normalize(gold);
}

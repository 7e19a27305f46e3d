using System.Text.RegularExpressions;
using RecurrentKif.Gpu.Data;

namespace RecurrentKif.Gpu.Continual;

/// <summary>
/// Keeps the first N words of an example's input and its closing "Answer:" line. Benchmark inputs run to hundreds of
/// words (yahoo: up to 878); on CPU a prompt's cost grows with its length, and the beginning (title, first sentences)
/// carries most of a topic or sentiment. The cutoff's own truncation would instead drop the instruction (the
/// option list) or the answer marker, which the model needs.
/// </summary>
public static class InputTrimmer
{
    private static readonly Regex Word = new(@"\S+", RegexOptions.CultureInvariant);
    private static readonly Regex AnswerMarker = new(@"\s*Answer:\s*$", RegexOptions.CultureInvariant);

    public static TaskExample Trim(TaskExample example, int maxWords)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxWords);
        if (maxWords == 0) return example;
        var marker = AnswerMarker.Match(example.Input);
        string body = marker.Success ? example.Input[..marker.Index] : example.Input;
        var words = Word.Matches(body);
        if (words.Count <= maxWords) return example;
        var last = words[maxWords - 1];
        string kept = body[..(last.Index + last.Length)];
        return example with { Input = marker.Success ? kept + marker.Value : kept };
    }
}

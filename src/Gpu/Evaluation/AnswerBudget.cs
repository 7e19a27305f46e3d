using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Tokenization;

namespace RecurrentKif.Gpu.Evaluation;

/// <summary>
/// How many new tokens greedy evaluation may generate: the configured number, raised to the longest gold label of
/// the evaluated examples in tokens plus one for EOS. A budget shorter than a label scores that label wrong however
/// well the model learned it (dbpedia's "Educational Institution" is several tokens), so the budget must cover it.
/// </summary>
public static class AnswerBudget
{
    public static int MaxNewTokens(ITextTokenizer tokenizer, IEnumerable<TaskExample> examples, int configured)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(examples);
        int longest = examples.Select(e => e.Output).Distinct(StringComparer.Ordinal)
            .Select(label => tokenizer.Encode(label, addBos: false).Count).DefaultIfEmpty(0).Max();
        return Math.Max(configured, longest + 1);
    }
}

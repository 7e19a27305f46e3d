using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Models;
using RecurrentKif.Gpu.Tokenization;
using Serilog;

namespace RecurrentKif.Gpu.Evaluation;

/// <summary>
/// Greedy generation on each example's prompt (the model family's data path: Alpaca prompt, or T5 source), in
/// batches, scored by exact match.
/// Label words are short, so the default of 16 new tokens is ample for the benchmark; the official
/// code's 128 is available through <c>maxNewTokens</c>. Either way the budget is raised to cover the longest gold
/// label of what is evaluated (<see cref="AnswerBudget"/>), so no label is unreachable.
/// </summary>
public sealed class GenerationEvaluator(ILanguageModel model, ITextTokenizer tokenizer, IExampleEncoder encoder, int batchSize = 16, int maxNewTokens = 16)
{
    private int _lastRaisedTo;

    public IReadOnlyList<Prediction> Predict(IReadOnlyList<TaskExample> examples) => Predict(examples, BudgetFor(examples));

    private IReadOnlyList<Prediction> Predict(IReadOnlyList<TaskExample> examples, int newTokens)
    {
        var predictions = new List<Prediction>(examples.Count);
        foreach (var chunk in examples.Chunk(batchSize))
        {
            var prompts = chunk.Select(e => (IReadOnlyList<int>)encoder.EncodePrompt(e, reserveForAnswer: newTokens)).ToList();
            var outputs = model.GenerateGreedy(prompts, newTokens, tokenizer.EosId, tokenizer.PadId);
            for (int i = 0; i < chunk.Length; i++)
                predictions.Add(new Prediction(chunk[i].Id, chunk[i].Output, encoder.ExtractAnswer(tokenizer.Decode(Decodable(outputs[i])))));
        }
        return predictions;
    }

    /// <summary>The new-token budget for these examples; logged (once per new value) when it exceeds the configured one.</summary>
    public int BudgetFor(IEnumerable<TaskExample> examples)
    {
        int budget = AnswerBudget.MaxNewTokens(tokenizer, examples, maxNewTokens);
        if (budget > maxNewTokens && budget != _lastRaisedTo)
        {
            _lastRaisedTo = budget;
            Log.Information("Evaluation: max new tokens raised from {Configured} to {Budget} so the longest label (and EOS) fits", maxNewTokens, budget);
        }
        return budget;
    }

    // An embedding may have rows past the tokenizer's vocabulary (T5's 32 128 rows for 32 100 tokens): such an id
    // has no text, and HF's fast tokenizer skips it when decoding, so it is dropped here too.
    private IEnumerable<int> Decodable(int[] ids) => ids.Where(id => id < tokenizer.VocabSize);

    /// <summary>
    /// Exact-match accuracy on each example list (one matrix row: every task after one task), all generated with one
    /// budget that covers the longest label of every list.
    /// </summary>
    public IReadOnlyList<double> AccuracyRow(IEnumerable<IReadOnlyList<TaskExample>> evaluationSets)
    {
        var sets = evaluationSets.ToList();
        int budget = BudgetFor(sets.SelectMany(s => s));
        return sets.Select(examples => Accuracy(Predict(examples, budget))).ToList();
    }

    public static double Accuracy(IReadOnlyList<Prediction> predictions) =>
        predictions.Count == 0 ? 0 : (double)predictions.Count(p => p.Correct) / predictions.Count;
}

using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Models;
using RecurrentKif.Gpu.Tokenization;

namespace RecurrentKif.Gpu.Evaluation;

/// <summary>
/// Greedy generation on each example's prompt (the model family's data path: Alpaca prompt, or T5 source), in
/// batches, scored by exact match.
/// Label words are short, so the default of 16 new tokens is ample for the benchmark; the official
/// code's 128 is available through <c>maxNewTokens</c>.
/// </summary>
public sealed class GenerationEvaluator(ILanguageModel model, ITextTokenizer tokenizer, IExampleEncoder encoder, int batchSize = 16, int maxNewTokens = 16)
{
    public IReadOnlyList<Prediction> Predict(IReadOnlyList<TaskExample> examples)
    {
        var predictions = new List<Prediction>(examples.Count);
        foreach (var chunk in examples.Chunk(batchSize))
        {
            var prompts = chunk.Select(e => (IReadOnlyList<int>)encoder.EncodePrompt(e, reserveForAnswer: maxNewTokens)).ToList();
            var outputs = model.GenerateGreedy(prompts, maxNewTokens, tokenizer.EosId, tokenizer.PadId);
            for (int i = 0; i < chunk.Length; i++)
                predictions.Add(new Prediction(chunk[i].Id, chunk[i].Output, encoder.ExtractAnswer(tokenizer.Decode(Decodable(outputs[i])))));
        }
        return predictions;
    }

    // An embedding may have rows past the tokenizer's vocabulary (T5's 32 128 rows for 32 100 tokens): such an id
    // has no text, and HF's fast tokenizer skips it when decoding, so it is dropped here too.
    private IEnumerable<int> Decodable(int[] ids) => ids.Where(id => id < tokenizer.VocabSize);

    /// <summary>Exact-match accuracy on each example list (one matrix row: every task after one task).</summary>
    public IReadOnlyList<double> AccuracyRow(IEnumerable<IReadOnlyList<TaskExample>> evaluationSets) =>
        evaluationSets.Select(examples => Accuracy(Predict(examples))).ToList();

    public static double Accuracy(IReadOnlyList<Prediction> predictions) =>
        predictions.Count == 0 ? 0 : (double)predictions.Count(p => p.Correct) / predictions.Count;
}

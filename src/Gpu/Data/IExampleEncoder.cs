using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Data;

/// <summary>
/// A model family's data path (docs/algorithm.md §5.2): how a task record becomes training ids and labels, how those are
/// padded into a batch, what a generation prompt is, and where the answer is in the decoded output.
/// <see cref="ExampleEncoder"/> is the decoder-only path (Alpaca prompt + answer, left padding);
/// <see cref="Seq2SeqExampleEncoder"/> the T5 one (source = instruction + input, target = label word, both ending in &lt;/s&gt;).
/// </summary>
public interface IExampleEncoder
{
    EncodedExample EncodeForTraining(TaskExample example);

    /// <summary>The ids generation starts from; <paramref name="reserveForAnswer"/> is room a decoder-only prompt leaves for the answer.</summary>
    int[] EncodePrompt(TaskExample example, int reserveForAnswer = 0);

    IModelBatch Collate(IReadOnlyList<EncodedExample> examples, Device device);

    /// <summary>The prediction in a decoded generation, trimmed.</summary>
    string ExtractAnswer(string decoded);
}

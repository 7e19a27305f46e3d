using RecurrentKif.Gpu.Tokenization;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Data;

/// <summary>
/// The T5 data path (docs/algorithm.md §5.2): the source is the instruction directly followed by the input (the
/// official <c>*_T5.json</c> files are exactly that concatenation), the target is the label word; the tokenizer adds
/// no BOS and &lt;/s&gt; is appended to both, after truncation to <c>sourceCutoff</c> / <c>targetCutoff</c> tokens
/// (1 024 / 128 in the official code). Batches are padded on the right to a multiple of 8, as the official collator
/// does; the loss covers every target token including &lt;/s&gt;.
/// </summary>
public sealed class Seq2SeqExampleEncoder : IExampleEncoder
{
    /// <summary>DataCollatorForSeq2Seq(pad_to_multiple_of=8) in the official T5 script.</summary>
    public const int PadToMultipleOf = 8;

    private readonly ITextTokenizer _tokenizer;

    public Seq2SeqExampleEncoder(ITextTokenizer tokenizer, int sourceCutoff = 1024, int targetCutoff = 128, int decoderStartId = 0)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        // Room for one text token and </s> on each side.
        ArgumentOutOfRangeException.ThrowIfLessThan(sourceCutoff, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(targetCutoff, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(decoderStartId);
        _tokenizer = tokenizer;
        SourceCutoff = sourceCutoff;
        TargetCutoff = targetCutoff;
        DecoderStartId = decoderStartId;
    }

    public int SourceCutoff { get; }
    public int TargetCutoff { get; }
    public int DecoderStartId { get; }

    public EncodedExample EncodeForTraining(TaskExample example) =>
        new(Source(example), WithEos(example.Output, TargetCutoff));

    /// <summary>The source ids; the decoder's output has its own length, so nothing is reserved for the answer.</summary>
    public int[] EncodePrompt(TaskExample example, int reserveForAnswer = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(reserveForAnswer);
        return Source(example);
    }

    public IModelBatch Collate(IReadOnlyList<EncodedExample> examples, Device device) =>
        Seq2SeqBatchCollator.Collate(examples, _tokenizer.PadId, DecoderStartId, device, PadToMultipleOf);

    /// <summary>The decoded target is the answer (the tokenizer already dropped &lt;/s&gt; and &lt;pad&gt;).</summary>
    public string ExtractAnswer(string decoded) => decoded.Trim();

    private int[] Source(TaskExample example) => WithEos(example.Instruction + example.Input, SourceCutoff);

    // HF truncation with special tokens: keep the first cutoff − 1 text tokens, then </s>.
    private int[] WithEos(string text, int cutoff)
    {
        IReadOnlyList<int> ids = _tokenizer.Encode(text, addBos: false);
        int kept = Math.Min(ids.Count, cutoff - 1);
        var result = new int[kept + 1];
        for (int i = 0; i < kept; i++) result[i] = ids[i];
        result[kept] = _tokenizer.EosId;
        return result;
    }
}

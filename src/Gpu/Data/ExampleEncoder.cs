using RecurrentKif.Gpu.Tokenization;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Data;

/// <summary>
/// Turns records into token sequences the way alpaca-lora (and so the official LLaMA code) does:
/// BOS + prompt (the Alpaca template by default, see <see cref="PromptTemplate"/>) + answer, cut to <c>cutoff</c> tokens, EOS appended only if room remains, and the
/// loss masked over the prompt so only the answer (and EOS) is learnt.
/// </summary>
public sealed class ExampleEncoder : IExampleEncoder
{
    /// <summary>Label value that the cross-entropy loss skips (PyTorch's default ignore_index).</summary>
    public const int IgnoreIndex = -100;

    private readonly ITextTokenizer _tokenizer;

    /// <param name="keepAnswer">
    /// When prompt + answer exceed the cutoff, drop the prompt's beginning (after BOS) instead of the end, so the
    /// answer and EOS always stay: the same left truncation <see cref="EncodePrompt"/> applies at generation time.
    /// Off by default, which is alpaca-lora's right truncation (the reference; a long example can lose its answer
    /// and then teaches nothing). Small-context models such as the byte-level built-in one need it on.
    /// </param>
    public ExampleEncoder(ITextTokenizer tokenizer, int cutoff = 512, bool keepAnswer = false, PromptTemplate template = PromptTemplate.Alpaca)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        // Two tokens at least: BOS plus one token that can carry a label.
        ArgumentOutOfRangeException.ThrowIfLessThan(cutoff, 2);
        _tokenizer = tokenizer;
        Cutoff = cutoff;
        KeepAnswer = keepAnswer;
        Template = template;
    }

    public int Cutoff { get; }
    public bool KeepAnswer { get; }
    public PromptTemplate Template { get; }

    public EncodedExample EncodeForTraining(TaskExample example)
    {
        string prompt = PromptFormat.Build(Template, example.Instruction, example.Input);
        IReadOnlyList<int> full = _tokenizer.Encode(prompt + PromptFormat.AnswerSeparator(Template) + example.Output, addBos: true);
        if (KeepAnswer && full.Count + 1 > Cutoff) return EncodeKeepingAnswer(prompt, full);
        int kept = Math.Min(full.Count, Cutoff);
        bool appendEos = kept < Cutoff;
        var inputIds = new int[kept + (appendEos ? 1 : 0)];
        for (int i = 0; i < kept; i++) inputIds[i] = full[i];
        if (appendEos) inputIds[kept] = _tokenizer.EosId;

        // The prompt is tokenised on its own, as alpaca-lora does; if the tokenizer merges across the
        // prompt/answer boundary the mask can be off by a token there, which the reference shares.
        int promptLength = _tokenizer.Encode(prompt, addBos: true).Count;
        var labels = new int[inputIds.Length];
        for (int i = 0; i < labels.Length; i++) labels[i] = i < promptLength ? IgnoreIndex : inputIds[i];
        return new EncodedExample(inputIds, labels);
    }

    private EncodedExample EncodeKeepingAnswer(string prompt, IReadOnlyList<int> full)
    {
        int promptLength = _tokenizer.Encode(prompt, addBos: true).Count;
        int answerLength = full.Count - promptLength;
        // Room for BOS, at least one prompt token, the answer and EOS; an answer longer than that is cut at its end.
        answerLength = Math.Min(answerLength, Cutoff - 3);
        int promptKept = Cutoff - 1 - answerLength;              // including BOS
        var inputIds = new int[Cutoff];
        var labels = new int[Cutoff];
        inputIds[0] = _tokenizer.BosId;
        int skip = promptLength - (promptKept - 1);
        for (int i = 1; i < promptKept; i++) inputIds[i] = full[skip + i - 1];
        for (int i = 0; i < answerLength; i++) inputIds[promptKept + i] = full[promptLength + i];
        inputIds[Cutoff - 1] = _tokenizer.EosId;
        for (int i = 0; i < Cutoff; i++) labels[i] = i < promptKept ? IgnoreIndex : inputIds[i];
        return new EncodedExample(inputIds, labels);
    }

    /// <summary>
    /// BOS + prompt ids for generation. When the prompt is longer than <c>cutoff - reserveForAnswer</c>
    /// tokens, its beginning is dropped (BOS stays first): the end holds the instance text's last part and
    /// the response marker, which the model needs to answer.
    /// </summary>
    public int[] EncodePrompt(TaskExample example, int reserveForAnswer = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(reserveForAnswer);
        int budget = Cutoff - reserveForAnswer;
        ArgumentOutOfRangeException.ThrowIfLessThan(budget, 2, nameof(reserveForAnswer));

        IReadOnlyList<int> ids = _tokenizer.Encode(PromptFormat.Build(Template, example.Instruction, example.Input), addBos: true);
        if (ids.Count <= budget) return [.. ids];

        var truncated = new int[budget];
        truncated[0] = _tokenizer.BosId;
        int skip = ids.Count - (budget - 1);
        for (int i = 1; i < budget; i++) truncated[i] = ids[skip + i - 1];
        return truncated;
    }

    /// <summary>Left-padded with the tokenizer's pad id (<see cref="BatchCollator"/>).</summary>
    public IModelBatch Collate(IReadOnlyList<EncodedExample> examples, Device device) =>
        BatchCollator.Collate(examples, _tokenizer.PadId, device);

    /// <summary>The answer in the decoded text: after the Alpaca response marker, or the trimmed new tokens.</summary>
    public string ExtractAnswer(string decoded) => PromptFormat.ExtractAnswer(Template, decoded);
}

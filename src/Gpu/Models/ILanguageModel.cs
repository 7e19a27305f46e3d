using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Lora;
using RecurrentKif.Gpu.Tokenization;
using RecurrentKif.Gpu.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Models;

/// <summary>
/// A backbone as the algorithm sees it, whatever its family: a frozen module that LoRA is attached to, a loss on a
/// batch its data path built, and greedy answers for prompts. The task session, the importance trackers, fusion,
/// checkpoints and the pipeline only talk to this, so a decoder-only LLaMA and an encoder-decoder T5 run the same
/// Recurrent-KIF code. <see cref="ModelLoader"/> picks the family from a folder's config.json.
/// </summary>
public interface ILanguageModel : IDisposable
{
    /// <summary>The family as config.json names it ("llama", "t5").</summary>
    string Family { get; }
    /// <summary>True when an encoder reads the prompt and a decoder writes the answer from scratch (T5); false when
    /// the answer continues the prompt (LLaMA).</summary>
    bool IsEncoderDecoder { get; }
    /// <summary>The module tree: LoRA targets are found in it, train/eval switch it, its base weights are frozen.</summary>
    nn.Module Module { get; }
    Device Device { get; }
    ScalarType WeightDtype { get; }
    /// <summary>Rows of the output embedding (may exceed the tokenizer's vocabulary, as T5's 32 128 does).</summary>
    int VocabSize { get; }
    /// <summary>Every base weight, embeddings included (for logs and FLOP estimates).</summary>
    long ParameterCount { get; }
    /// <summary>PEFT's task_type for adapters of this model (CAUSAL_LM, SEQ_2_SEQ_LM).</summary>
    string PeftTaskType { get; }

    /// <summary>How a task record becomes this model's inputs (prompt + answer, or source / target).</summary>
    IExampleEncoder CreateEncoder(ITextTokenizer tokenizer, FineTuneSettings settings);

    /// <summary>
    /// LoRA settings in this family's module names. LLaMA's projection names (q_proj, v_proj, …) are how the
    /// settings name the paper's "q and v"; a family whose layers are named otherwise translates them here.
    /// </summary>
    LoraSettings LoraSettingsFor(LoraSettings requested);

    /// <summary>Mean cross-entropy over the label tokens of a batch from this model's encoder (a scalar with grad).</summary>
    Tensor Loss(IModelBatch batch);

    /// <summary>
    /// <see cref="Loss"/> and, from the same forward pass, the first answer token's loss and hits (the decision of a
    /// classification answer), for training diagnostics and cheap validation accuracy.
    /// </summary>
    AnswerLoss LossWithDecision(IModelBatch batch);

    /// <summary>Greedy answers (new tokens only, EOS not included) for prompts made by <see cref="IExampleEncoder.EncodePrompt"/>.</summary>
    IReadOnlyList<int[]> GenerateGreedy(IReadOnlyList<IReadOnlyList<int>> prompts, int maxNewTokens, int eosId, int padId);
}

/// <summary>The LoRA attachment every caller uses, so the family's own target names are always applied.</summary>
public static class LanguageModelLora
{
    public static LoraAdapter AttachLora(this ILanguageModel model, LoraSettings settings) =>
        LoraAdapter.Attach(model.Module, model.LoraSettingsFor(settings));
}

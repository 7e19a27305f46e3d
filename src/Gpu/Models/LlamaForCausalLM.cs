using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Generation;
using RecurrentKif.Gpu.Lora;
using RecurrentKif.Gpu.Tokenization;
using RecurrentKif.Gpu.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Models;

/// <summary>
/// A LLaMA-family causal language model (HF LlamaForCausalLM): RMSNorm, rotate-half RoPE, grouped-query attention,
/// SwiGLU, tied or untied output head. Frozen weights may be bf16; logits are returned in fp32.
/// Batches are left-padded: the attention mask marks real tokens, positions count real tokens only, and a padded
/// query attends to itself so its softmax row is never empty (its output is ignored by the loss).
/// </summary>
public sealed class LlamaForCausalLM : nn.Module, ILanguageModel
{
#pragma warning disable IDE1006
    private readonly LlamaModel model;
    private readonly LoraLinear? lm_head;
#pragma warning restore IDE1006
    private readonly RotaryEmbedding _rotary;

    public LlamaConfig Config { get; }
    public ScalarType WeightDtype { get; }
    public Device Device { get; }
    public LlamaModel Decoder => model;

    public LlamaForCausalLM(LlamaConfig config, ScalarType weightDtype, Device device) : base("LlamaForCausalLM")
    {
        Config = config;
        WeightDtype = weightDtype;
        Device = device;
        model = new LlamaModel(config, weightDtype, device);
        if (!config.TieWordEmbeddings)
            lm_head = new LoraLinear("lm_head", config.HiddenSize, config.VocabSize, hasBias: false, weightDtype, device);
        _rotary = new RotaryEmbedding(config, device);
        RegisterComponents();
    }

    /// <param name="inputIds">[B, T] int64 token ids (this step's tokens only when a cache is used).</param>
    /// <param name="attentionMask">[B, P+T] (bool or 0/1) over cached and current tokens; null means all real.</param>
    /// <param name="cache">Keys/values of the P earlier positions; extended in place.</param>
    /// <param name="lastPositionOnly">Return logits of the last position only ([B, 1, V]), as generation needs.</param>
    /// <returns>fp32 logits [B, T, V].</returns>
    public Tensor Forward(Tensor inputIds, Tensor? attentionMask = null, KvCache? cache = null, bool lastPositionOnly = false)
    {
        using var scope = NewDisposeScope();
        long batch = inputIds.shape[0], length = inputIds.shape[1];
        long past = cache?.Length ?? 0, total = past + length;
        var keyValid = attentionMask is null
            ? ones(batch, total, dtype: ScalarType.Bool, device: Device)
            : attentionMask.to(ScalarType.Bool);
        if (keyValid.shape[1] != total)
            throw new ArgumentException($"attention mask covers {keyValid.shape[1]} positions, expected {total} (cached {past} + new {length})");

        var positions = (keyValid.to(ScalarType.Int64).cumsum(1) - 1).clamp_min(0).narrow(1, past, length);
        var (cos, sin) = _rotary.For(positions, WeightDtype);
        var mask = BuildAttentionMask(keyValid, past, length);

        var hidden = model.Forward(inputIds, cos, sin, mask, cache);
        if (lastPositionOnly) hidden = hidden.narrow(1, length - 1, 1);
        var logits = lm_head is null
            ? nn.functional.linear(hidden, model.EmbeddingWeight)
            : lm_head.forward(hidden);
        return logits.to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    private Tensor BuildAttentionMask(Tensor keyValid, long past, long length)
    {
        long total = past + length;
        var queryIndex = arange(past, total, device: Device).unsqueeze(1);   // [T, 1]
        var keyIndex = arange(0, total, device: Device).unsqueeze(0);        // [1, P+T]
        var causal = keyIndex.le(queryIndex);
        var self = keyIndex.eq(queryIndex);
        var valid = keyValid.unsqueeze(1).unsqueeze(1);                      // [B, 1, 1, P+T]
        return causal.unsqueeze(0).unsqueeze(0).logical_and(valid).logical_or(self);
    }

    /// <summary>Sets requires_grad on every base weight to false; only LoRA parameters attached later train.</summary>
    public void FreezeBaseWeights()
    {
        foreach (var (_, parameter) in named_parameters())
            parameter.requires_grad = false;
    }

    string ILanguageModel.Family => "llama";
    bool ILanguageModel.IsEncoderDecoder => false;
    nn.Module ILanguageModel.Module => this;
    int ILanguageModel.VocabSize => Config.VocabSize;
    long ILanguageModel.ParameterCount => Config.ParameterCount();
    string ILanguageModel.PeftTaskType => "CAUSAL_LM";

    /// <summary>The decoder-only data path: prompt (Alpaca by default) + answer, loss on the answer, left padding.</summary>
    public IExampleEncoder CreateEncoder(ITextTokenizer tokenizer, FineTuneSettings settings) =>
        new ExampleEncoder(tokenizer, settings.Cutoff, settings.KeepAnswer, settings.PromptTemplate);

    LoraSettings ILanguageModel.LoraSettingsFor(LoraSettings requested) => requested;

    Tensor ILanguageModel.Loss(IModelBatch batch) => batch is TokenBatch tokens
        ? CausalLmLoss.Compute(this, tokens)
        : throw new ArgumentException($"a causal LM needs a {nameof(TokenBatch)}, got a {batch.GetType().Name}");

    AnswerLoss ILanguageModel.LossWithDecision(IModelBatch batch) => batch is TokenBatch tokens
        ? CausalLmLoss.ComputeWithDecision(this, tokens)
        : throw new ArgumentException($"a causal LM needs a {nameof(TokenBatch)}, got a {batch.GetType().Name}");

    IReadOnlyList<int[]> ILanguageModel.GenerateGreedy(IReadOnlyList<IReadOnlyList<int>> prompts, int maxNewTokens, int eosId, int padId) =>
        GreedyGenerator.Generate(this, prompts, maxNewTokens, eosId, padId);

    protected override void Dispose(bool disposing)
    {
        if (disposing) _rotary.Dispose();
        base.Dispose(disposing);
    }
}

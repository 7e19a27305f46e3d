using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Generation;
using RecurrentKif.Gpu.Lora;
using RecurrentKif.Gpu.Tokenization;
using RecurrentKif.Gpu.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Models.T5;

/// <summary>
/// A T5 encoder-decoder (HF T5ForConditionalGeneration; Raffel et al. 2020): one shared token embedding, a
/// bidirectional encoder and a causal decoder with cross-attention, T5 layer norm, relative position buckets,
/// unscaled attention, ReLU or gated feed-forward, dropout. With a tied head the decoder output is scaled by
/// d_model^-0.5 before the shared matrix projects it to the vocabulary. Frozen weights may be bf16; logits are fp32.
/// </summary>
public sealed class T5ForConditionalGeneration : nn.Module, ILanguageModel
{
#pragma warning disable IDE1006 // field names are the HF tensor names
    private readonly Embedding shared;
    private readonly T5Stack encoder;
    private readonly T5Stack decoder;
    private readonly LoraLinear? lm_head;
#pragma warning restore IDE1006

    public T5Config Config { get; }
    public ScalarType WeightDtype { get; }
    public Device Device { get; }
    public T5Stack Encoder => encoder;
    public T5Stack Decoder => decoder;

    public T5ForConditionalGeneration(T5Config config, ScalarType weightDtype, Device device) : base("T5ForConditionalGeneration")
    {
        Config = config;
        WeightDtype = weightDtype;
        Device = device;
        shared = nn.Embedding(config.VocabSize, config.DModel, device: device, dtype: weightDtype);
        encoder = new T5Stack("encoder", config, isDecoder: false, weightDtype, device);
        decoder = new T5Stack("decoder", config, isDecoder: true, weightDtype, device);
        if (!config.TieWordEmbeddings)
            lm_head = new LoraLinear("lm_head", config.DModel, config.VocabSize, hasBias: false, weightDtype, device);
        RegisterComponents();
    }

    /// <summary>Encoder output [B, Ts, d_model] for right-padded source ids and their mask (true on real tokens).</summary>
    public Tensor Encode(Tensor inputIds, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        return encoder.Encode(shared.forward(inputIds), attentionMask.to(ScalarType.Bool)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// fp32 logits [B, Tt, V] of the decoder over <paramref name="decoderInputIds"/> (only the new positions when a
    /// cache is given), attending to <paramref name="encoderHidden"/> where <paramref name="attentionMask"/> is true.
    /// </summary>
    public Tensor Decode(Tensor decoderInputIds, Tensor encoderHidden, Tensor attentionMask, T5DecoderCache? cache = null)
    {
        using var scope = NewDisposeScope();
        var hidden = decoder.Decode(shared.forward(decoderInputIds), encoderHidden, attentionMask.to(ScalarType.Bool), cache);
        var logits = lm_head is null
            ? nn.functional.linear(hidden * Math.Pow(Config.DModel, -0.5), shared.weight!)
            : lm_head.forward(hidden);
        return logits.to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>Teacher-forced logits [B, Tt, V]: encoder over the source, decoder over the shifted targets.</summary>
    public Tensor Forward(Tensor inputIds, Tensor attentionMask, Tensor decoderInputIds)
    {
        using var scope = NewDisposeScope();
        var encoded = Encode(inputIds, attentionMask);
        return Decode(decoderInputIds, encoded, attentionMask).MoveToOuterDisposeScope();
    }

    /// <summary>Sets requires_grad on every base weight to false; only LoRA parameters attached later train.</summary>
    public void FreezeBaseWeights()
    {
        foreach (var (_, parameter) in named_parameters())
            parameter.requires_grad = false;
    }

    string ILanguageModel.Family => "t5";
    bool ILanguageModel.IsEncoderDecoder => true;
    nn.Module ILanguageModel.Module => this;
    int ILanguageModel.VocabSize => Config.VocabSize;
    long ILanguageModel.ParameterCount => Config.ParameterCount();
    string ILanguageModel.PeftTaskType => "SEQ_2_SEQ_LM";

    /// <summary>The T5 data path of docs/algorithm.md §5.2: source = instruction + input (cutoff = source length), target = label word.</summary>
    public IExampleEncoder CreateEncoder(ITextTokenizer tokenizer, FineTuneSettings settings) =>
        new Seq2SeqExampleEncoder(tokenizer, settings.Cutoff, settings.TargetCutoff, Config.DecoderStartTokenId);

    /// <summary>LLaMA's projection names (q_proj, k_proj, v_proj, o_proj) become T5's (q, k, v, o); others stay.</summary>
    public LoraSettings LoraSettingsFor(LoraSettings requested) => requested with
    {
        TargetModules = requested.TargetModules.Select(t => t switch
        {
            "q_proj" => "q",
            "k_proj" => "k",
            "v_proj" => "v",
            "o_proj" => "o",
            _ => t,
        }).Distinct().ToList(),
    };

    Tensor ILanguageModel.Loss(IModelBatch batch) => batch is Seq2SeqBatch pairs
        ? Seq2SeqLmLoss.Compute(this, pairs)
        : throw new ArgumentException($"a T5 model needs a {nameof(Seq2SeqBatch)}, got a {batch.GetType().Name}");

    AnswerLoss ILanguageModel.LossWithDecision(IModelBatch batch) => batch is Seq2SeqBatch pairs
        ? Seq2SeqLmLoss.ComputeWithDecision(this, pairs)
        : throw new ArgumentException($"a T5 model needs a {nameof(Seq2SeqBatch)}, got a {batch.GetType().Name}");

    IReadOnlyList<int[]> ILanguageModel.GenerateGreedy(IReadOnlyList<IReadOnlyList<int>> prompts, int maxNewTokens, int eosId, int padId) =>
        Seq2SeqGreedyGenerator.Generate(this, prompts, maxNewTokens, eosId, padId);
}

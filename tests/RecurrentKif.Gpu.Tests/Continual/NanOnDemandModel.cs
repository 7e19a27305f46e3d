using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Lora;
using RecurrentKif.Gpu.Models;
using RecurrentKif.Gpu.Tokenization;
using RecurrentKif.Gpu.Training;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Tests.Continual;

/// <summary>
/// A real model whose loss turns NaN while <see cref="Poisoned"/> is set (the gradient too), to test that a
/// non-finite step anywhere applies nothing. Everything else is the wrapped model's.
/// </summary>
internal sealed class NanOnDemandModel(ILanguageModel inner) : ILanguageModel
{
    public bool Poisoned { get; set; }

    public string Family => inner.Family;
    public bool IsEncoderDecoder => inner.IsEncoderDecoder;
    public nn.Module Module => inner.Module;
    public Device Device => inner.Device;
    public ScalarType WeightDtype => inner.WeightDtype;
    public int VocabSize => inner.VocabSize;
    public long ParameterCount => inner.ParameterCount;
    public string PeftTaskType => inner.PeftTaskType;

    public IExampleEncoder CreateEncoder(ITextTokenizer tokenizer, FineTuneSettings settings) => inner.CreateEncoder(tokenizer, settings);
    public LoraSettings LoraSettingsFor(LoraSettings requested) => inner.LoraSettingsFor(requested);

    public Tensor Loss(IModelBatch batch)
    {
        var loss = inner.Loss(batch);
        if (!Poisoned) return loss;
        using (loss) return loss * double.NaN;
    }

    public AnswerLoss LossWithDecision(IModelBatch batch)
    {
        var terms = inner.LossWithDecision(batch);
        if (!Poisoned) return terms;
        using (terms.Mean) return terms with { Mean = terms.Mean * double.NaN };
    }

    public IReadOnlyList<int[]> GenerateGreedy(IReadOnlyList<IReadOnlyList<int>> prompts, int maxNewTokens, int eosId, int padId) =>
        inner.GenerateGreedy(prompts, maxNewTokens, eosId, padId);

    public void Dispose() => inner.Dispose();
}

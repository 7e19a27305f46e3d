using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Models;

/// <summary>The decoder stack (HF "model."): token embeddings, the layers, the final norm.</summary>
public sealed class LlamaModel : nn.Module
{
#pragma warning disable IDE1006
    private readonly Embedding embed_tokens;
    private readonly ModuleList<LlamaDecoderLayer> layers;
    private readonly RmsNorm norm;
#pragma warning restore IDE1006

    public Parameter EmbeddingWeight => embed_tokens.weight!;
    public IEnumerable<LlamaDecoderLayer> Layers => layers;

    public LlamaModel(LlamaConfig config, ScalarType dtype, Device device) : base("model")
    {
        embed_tokens = nn.Embedding(config.VocabSize, config.HiddenSize, device: device, dtype: dtype);
        layers = nn.ModuleList(Enumerable.Range(0, config.NumHiddenLayers).Select(i => new LlamaDecoderLayer(i, config, dtype, device)).ToArray());
        norm = new RmsNorm("norm", config.HiddenSize, config.RmsNormEps, dtype, device);
        RegisterComponents();
    }

    public Tensor Forward(Tensor inputIds, Tensor cos, Tensor sin, Tensor mask, KvCache? cache)
    {
        using var scope = NewDisposeScope();
        var h = embed_tokens.forward(inputIds);
        foreach (var layer in layers) h = layer.Forward(h, cos, sin, mask, cache);
        return norm.forward(h).MoveToOuterDisposeScope();
    }
}

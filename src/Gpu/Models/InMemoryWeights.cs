using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Models;

/// <summary>Weights already in memory (a converted llama2.c checkpoint, or a freshly initialised model).</summary>
public sealed class InMemoryWeights(string description, IReadOnlyDictionary<string, Tensor> tensors) : IWeightSource, IDisposable
{
    public string Description { get; } = description;
    public IReadOnlyCollection<string> Names => tensors.Keys.ToList();

    public Tensor Load(string name, ScalarType dtype) =>
        tensors.TryGetValue(name, out var t) ? t.to(dtype, copy: true) : throw new ModelLoadException($"{Description}: missing tensor '{name}'");

    public void Dispose()
    {
        foreach (var t in tensors.Values) t.Dispose();
    }
}

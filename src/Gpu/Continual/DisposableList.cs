using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Continual;

/// <summary>Owns a list of tensors for a <c>using</c> block (snapshots, scores, masks that must not leak).</summary>
internal sealed class DisposableList(IReadOnlyList<Tensor> items) : IDisposable
{
    public IReadOnlyList<Tensor> Items { get; } = items;

    public void Dispose()
    {
        foreach (var t in Items) t.Dispose();
    }
}

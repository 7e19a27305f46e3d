using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Merging;

/// <summary>
/// What an adapter adds to one linear layer's weight: ΔW = (α / r) · B A, [out, in], fp32 on the CPU
/// (docs/algorithm.md §3.1). The module path is the layer's (e.g. "model.layers.0.self_attn.q_proj"); the base
/// tensor it changes is "&lt;path&gt;.weight".
/// </summary>
public sealed record ModuleDelta(string ModulePath, Tensor Delta)
{
    public string WeightName => ModulePath + ".weight";
}

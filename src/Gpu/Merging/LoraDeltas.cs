using RecurrentKif.Gpu.Lora;
using RecurrentKif.Gpu.Models;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Merging;

/// <summary>The weight deltas of an adapter, one per adapted layer, in the adapter's layer order.</summary>
public static class LoraDeltas
{
    /// <summary>ΔW = s · B A for every pair of an attached adapter (s = α / r, the scale LoraLinear applies).</summary>
    public static IReadOnlyList<ModuleDelta> Of(LoraAdapter adapter)
    {
        using var _ = no_grad();
        double scale = adapter.Settings.Scale;
        return adapter.Pairs.Select(p =>
        {
            using var a = p.A.detach().to(ScalarType.Float32, CPU);
            using var b = p.B.detach().to(ScalarType.Float32, CPU);
            return new ModuleDelta(p.ModulePath, b.matmul(a).mul_(scale));
        }).ToList();
    }

    /// <summary>
    /// The deltas of a PEFT adapter folder for the model in <paramref name="baseFolder"/>. The adapter is read by the
    /// strict importer (<see cref="PeftAdapterFormat"/>) onto the model's module tree, so an adapter that names other
    /// layers, has other shapes or uses an option RecurrentKif does not honour is refused; the base weights are not read.
    /// </summary>
    public static IReadOnlyList<ModuleDelta> FromPeftFolder(string baseFolder, string adapterFolder)
    {
        using var skeleton = ModelLoader.CreateUnloaded(baseFolder);
        var adapter = PeftAdapterFormat.Load(skeleton.Module, adapterFolder);
        return Of(adapter);
    }
}

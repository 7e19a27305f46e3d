using RecurrentKif.Gpu.Lora;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Merging;

/// <summary>
/// Combines several adapters' deltas layer by layer with one <see cref="IDeltaCombination"/>. A layer that some
/// adapters do not adapt counts as a zero delta for them (their adapter leaves that layer as the base has it).
/// </summary>
public static class AdapterCombiner
{
    public static IReadOnlyList<ModuleDelta> Combine(IReadOnlyList<IReadOnlyList<ModuleDelta>> adapters, IDeltaCombination method, DeltaCombinationOptions options)
    {
        if (adapters.Count == 0) throw new ArgumentException("no adapter to combine");
        options.Validate();
        options.WeightsFor(adapters.Count);
        var paths = adapters.SelectMany(a => a.Select(d => d.ModulePath)).Distinct().Order(ModulePathComparer.Instance).ToList();
        var combined = new List<ModuleDelta>(paths.Count);
        foreach (string path in paths)
        {
            var present = adapters.Select(a => a.FirstOrDefault(d => d.ModulePath == path)?.Delta).ToList();
            var shape = present.First(d => d is not null)!.shape;
            if (present.Any(d => d is not null && !d.shape.SequenceEqual(shape)))
                throw new ArgumentException($"the adapters disagree on the shape of {path}: they cannot belong to the same base model");
            using var scope = NewDisposeScope();
            var deltas = present.Select(d => d ?? zeros(shape, dtype: ScalarType.Float32)).ToList();
            combined.Add(new ModuleDelta(path, method.Combine(deltas, options, path).MoveToOuterDisposeScope()));
        }
        return combined;
    }
}

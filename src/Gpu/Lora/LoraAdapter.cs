using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Lora;

/// <summary>One adapted layer: its module path (e.g. "model.layers.0.self_attn.q_proj") and its A and B.</summary>
public sealed record LoraPair(string ModulePath, Parameter A, Parameter B);

/// <summary>
/// The LoRA adapter attached to a model: the adapted layers in a fixed order and the flat parameter list θ
/// (A₀, B₀, A₁, B₁, …) that the algorithm treats as one vector. The order is by module path with layer numbers
/// compared numerically, so it is the same on every run and every machine.
/// </summary>
public sealed class LoraAdapter
{
    public LoraSettings Settings { get; }
    public IReadOnlyList<LoraPair> Pairs { get; }
    /// <summary>θ: every trainable LoRA tensor, A then B for each layer in <see cref="Pairs"/> order.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }
    public long ScalarCount => Parameters.Sum(p => p.numel());

    private LoraAdapter(LoraSettings settings, IReadOnlyList<LoraPair> pairs)
    {
        Settings = settings;
        Pairs = pairs;
        Parameters = pairs.SelectMany(p => new[] { p.A, p.B }).ToList();
    }

    /// <summary>Attaches fresh adapters (A ~ Kaiming-uniform, B = 0) to every target layer of <paramref name="model"/>.</summary>
    public static LoraAdapter Attach(nn.Module model, LoraSettings settings)
    {
        settings.Validate();
        var targets = model.named_modules()
            .Where(m => m.module is LoraLinear && LoraTargets.Matches(settings, m.name))
            .OrderBy(m => m.name, ModulePathComparer.Instance)
            .ToList();
        if (targets.Count == 0)
            throw new ArgumentException(
                $"no linear layer matches the LoRA targets [{settings.DescribeTargets()}]");
        var pairs = new List<LoraPair>(targets.Count);
        foreach (var (name, module) in targets)
        {
            var layer = (LoraLinear)module;
            layer.AttachAdapter(settings.Rank, settings.Alpha, settings.Dropout);
            pairs.Add(new LoraPair(name, layer.LoraA, layer.LoraB));
        }
        return new LoraAdapter(settings, pairs);
    }

    /// <summary>Copies of θ (detached), e.g. to compare or to snapshot.</summary>
    public IReadOnlyList<Tensor> CloneParameters()
    {
        using var _ = no_grad();
        return Parameters.Select(p => p.detach().clone().DetachFromDisposeScope()).ToList();
    }

    /// <summary>Overwrites θ with <paramref name="values"/> (same order and shapes).</summary>
    public void CopyFrom(IReadOnlyList<Tensor> values)
    {
        if (values.Count != Parameters.Count) throw new ArgumentException($"expected {Parameters.Count} tensors, got {values.Count}");
        using var _ = no_grad();
        for (int i = 0; i < values.Count; i++) Parameters[i].copy_(values[i]);
    }
}

/// <summary>Orders module paths segment by segment, numbers numerically ("layers.2" before "layers.10").</summary>
public sealed class ModulePathComparer : IComparer<string>
{
    public static readonly ModulePathComparer Instance = new();

    public int Compare(string? x, string? y)
    {
        var a = (x ?? "").Split('.');
        var b = (y ?? "").Split('.');
        for (int i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            int order = long.TryParse(a[i], out long na) && long.TryParse(b[i], out long nb)
                ? na.CompareTo(nb)
                : string.CompareOrdinal(a[i], b[i]);
            if (order != 0) return order;
        }
        return a.Length.CompareTo(b.Length);
    }
}

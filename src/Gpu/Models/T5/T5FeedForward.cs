using RecurrentKif.Gpu.Lora;
using TorchSharp;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Models.T5;

/// <summary>T5 v1.0's feed-forward (HF DenseReluDense): wo(dropout(act(wi(x)))).</summary>
public sealed class T5DenseActDense : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006
    private readonly LoraLinear wi, wo;
#pragma warning restore IDE1006
    private readonly string _activation;
    private readonly double _dropout;

    public T5DenseActDense(T5Config config, ScalarType dtype, Device device) : base("DenseReluDense")
    {
        wi = new LoraLinear("wi", config.DModel, config.DFf, hasBias: false, dtype, device);
        wo = new LoraLinear("wo", config.DFf, config.DModel, hasBias: false, dtype, device);
        _activation = config.Activation;
        _dropout = config.DropoutRate;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = T5Activation.Apply(_activation, wi.forward(x));
        if (_dropout > 0) h = nn.functional.dropout(h, _dropout, training);
        return wo.forward(h).MoveToOuterDisposeScope();
    }
}

/// <summary>T5 v1.1 / Flan-T5's gated feed-forward (HF DenseGatedActDense): wo(dropout(act(wi_0(x)) ⊙ wi_1(x))).</summary>
public sealed class T5DenseGatedActDense : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006
    private readonly LoraLinear wi_0, wi_1, wo;
#pragma warning restore IDE1006
    private readonly string _activation;
    private readonly double _dropout;

    public T5DenseGatedActDense(T5Config config, ScalarType dtype, Device device) : base("DenseGatedActDense")
    {
        wi_0 = new LoraLinear("wi_0", config.DModel, config.DFf, hasBias: false, dtype, device);
        wi_1 = new LoraLinear("wi_1", config.DModel, config.DFf, hasBias: false, dtype, device);
        wo = new LoraLinear("wo", config.DFf, config.DModel, hasBias: false, dtype, device);
        _activation = config.Activation;
        _dropout = config.DropoutRate;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = T5Activation.Apply(_activation, wi_0.forward(x)) * wi_1.forward(x);
        if (_dropout > 0) h = nn.functional.dropout(h, _dropout, training);
        return wo.forward(h).MoveToOuterDisposeScope();
    }
}

/// <summary>The activations T5 configs name (HF ACT2FN): gelu_new is the tanh approximation, gelu the exact erf form.</summary>
public static class T5Activation
{
    public static Tensor Apply(string name, Tensor x) => name switch
    {
        "relu" => nn.functional.relu(x),
        "gelu" => nn.functional.gelu(x),
        "gelu_new" => GeluTanh(x),
        "silu" => nn.functional.silu(x),
        _ => throw new ArgumentException($"unknown T5 activation '{name}'"),
    };

    // 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), as HF's NewGELUActivation writes it.
    private static Tensor GeluTanh(Tensor x)
    {
        using var scope = NewDisposeScope();
        var inner = (x + x.pow(3) * 0.044715) * Math.Sqrt(2.0 / Math.PI);
        return (x * 0.5 * (inner.tanh() + 1.0)).MoveToOuterDisposeScope();
    }
}

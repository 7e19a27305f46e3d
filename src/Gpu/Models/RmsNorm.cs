using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Models;

/// <summary>LLaMA's RMSNorm: x / sqrt(mean(x²) + ε) · w, computed in fp32 whatever the weight dtype (as HF does).</summary>
public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006
    private readonly Parameter weight;
#pragma warning restore IDE1006
    // Kept as a field: a Scalar converted from a double at the call is only referenced by its IntPtr during the native
    // add, so the GC may finalize (free) it mid-call; a CI run failed that way ("toDouble" on a garbage Scalar).
    private readonly Scalar _eps;

    public RmsNorm(string name, long size, double eps, ScalarType dtype, Device device) : base(name)
    {
        weight = new Parameter(ones(size, dtype: dtype, device: device), requires_grad: false);
        _eps = eps.ToScalar();
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input.to(ScalarType.Float32);
        var normalized = x * rsqrt(x.pow(2).mean([-1L], keepdim: true).add(_eps));
        return (weight * normalized.to(input.dtype)).MoveToOuterDisposeScope();
    }
}

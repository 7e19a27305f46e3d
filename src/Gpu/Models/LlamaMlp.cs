using RecurrentKif.Gpu.Lora;
using TorchSharp;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Models;

/// <summary>SwiGLU feed-forward: down(silu(gate(x)) · up(x)).</summary>
public sealed class LlamaMlp : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006
    private readonly LoraLinear gate_proj, up_proj, down_proj;
#pragma warning restore IDE1006

    public LlamaMlp(string name, LlamaConfig config, ScalarType dtype, Device device) : base(name)
    {
        gate_proj = new LoraLinear("gate_proj", config.HiddenSize, config.IntermediateSize, config.MlpBias, dtype, device);
        up_proj = new LoraLinear("up_proj", config.HiddenSize, config.IntermediateSize, config.MlpBias, dtype, device);
        down_proj = new LoraLinear("down_proj", config.IntermediateSize, config.HiddenSize, config.MlpBias, dtype, device);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var hidden = nn.functional.silu(gate_proj.forward(x)) * up_proj.forward(x);
        return down_proj.forward(hidden).MoveToOuterDisposeScope();
    }
}

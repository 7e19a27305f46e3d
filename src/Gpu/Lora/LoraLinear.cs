using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Lora;

/// <summary>
/// A frozen linear layer y = W x (+ b) with an optional LoRA branch s · B(A(dropout(x))), s = α / r
/// (docs/algorithm.md §3.1). Every linear layer of the models is one of these, so any of them can be a LoRA target.
/// The base weight may be bf16 while A and B stay fp32: the branch runs in fp32 and is cast back on the way out.
/// Parameter names follow PEFT: "&lt;module&gt;.weight", "&lt;module&gt;.lora_A.weight", "&lt;module&gt;.lora_B.weight".
/// </summary>
public sealed class LoraLinear : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the HF/PEFT tensor names
    private readonly Parameter weight;
    private readonly Parameter? bias;
    private Linear? lora_A;
    private Linear? lora_B;
#pragma warning restore IDE1006
    private double _scale;
    private double _dropout;

    public long InFeatures { get; }
    public long OutFeatures { get; }
    public bool HasAdapter => lora_A is not null;
    public Parameter Weight => weight;
    public Parameter? Bias => bias;
    public Parameter LoraA => lora_A?.weight ?? throw new InvalidOperationException($"{GetName()} has no LoRA adapter");
    public Parameter LoraB => lora_B?.weight ?? throw new InvalidOperationException($"{GetName()} has no LoRA adapter");

    public LoraLinear(string name, long inFeatures, long outFeatures, bool hasBias, ScalarType dtype, Device device) : base(name)
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        weight = new Parameter(empty(outFeatures, inFeatures, dtype: dtype, device: device), requires_grad: false);
        if (hasBias) bias = new Parameter(zeros(outFeatures, dtype: dtype, device: device), requires_grad: false);
        RegisterComponents();
    }

    /// <summary>
    /// Adds a fresh adapter: A ~ U(±1/√in) (Kaiming-uniform with a = √5, as nn.Linear and PEFT do), B = 0,
    /// so the layer's output is unchanged until B moves. A and B are fp32 and trainable.
    /// </summary>
    public void AttachAdapter(int rank, double alpha, double dropout)
    {
        if (HasAdapter) throw new InvalidOperationException($"{GetName()} already has a LoRA adapter");
        var device = weight.device;
        lora_A = nn.Linear(InFeatures, rank, hasBias: false, device: device, dtype: ScalarType.Float32);
        lora_B = nn.Linear(rank, OutFeatures, hasBias: false, device: device, dtype: ScalarType.Float32);
        double bound = 1.0 / Math.Sqrt(InFeatures);
        using (no_grad())
        {
            lora_A.weight!.uniform_(-bound, bound);
            lora_B.weight!.zero_();
        }
        register_module("lora_A", lora_A);
        register_module("lora_B", lora_B);
        _scale = alpha / rank;
        _dropout = dropout;
    }

    public override Tensor forward(Tensor input)
    {
        var output = nn.functional.linear(input, weight, bias);
        if (lora_A is null || lora_B is null) return output;
        using var scope = NewDisposeScope();
        var x = input.dtype == ScalarType.Float32 ? input : input.to(ScalarType.Float32);
        if (_dropout > 0) x = nn.functional.dropout(x, _dropout, training);
        var update = lora_B.forward(lora_A.forward(x)).mul_(_scale);
        if (update.dtype != output.dtype) update = update.to(output.dtype);
        return output.add(update).MoveToOuterDisposeScope();
    }
}

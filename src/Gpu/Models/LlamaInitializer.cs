using TorchSharp;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Models;

/// <summary>
/// Random initialisation for a model trained from scratch (the built-in model, benchmark configs):
/// N(0, 0.02) for embeddings and linear weights, as LLaMA/GPT recipes use; norms at 1, biases at 0.
/// Uses libtorch's global generator, so seed it first (TorchRuntime.Seed) for a reproducible model.
/// </summary>
public static class LlamaInitializer
{
    public static void InitializeRandom(LlamaForCausalLM model, double std = 0.02)
    {
        using var _ = no_grad();
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (name.EndsWith("layernorm.weight", StringComparison.Ordinal) || name == "model.norm.weight") parameter.fill_(1.0);
            else if (name.EndsWith(".bias", StringComparison.Ordinal)) parameter.zero_();
            else parameter.normal_(0, std);
        }
    }
}

using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Training;

/// <summary>
/// Next-token cross-entropy averaged over the label tokens of a batch (prompt and pad positions carry
/// <see cref="ExampleEncoder.IgnoreIndex"/>), as HF's LlamaForCausalLM computes it.
/// </summary>
public static class CausalLmLoss
{
    public static Tensor Compute(LlamaForCausalLM model, TokenBatch batch)
    {
        using var scope = NewDisposeScope();
        var logits = model.Forward(batch.InputIds, batch.AttentionMask);
        long vocab = logits.shape[^1], length = logits.shape[1];
        var predicted = logits.narrow(1, 0, length - 1).reshape(-1, vocab);
        var targets = batch.Labels.narrow(1, 1, length - 1).reshape(-1);
        // A batch whose answers were all cut off by the cutoff has no label: its loss is 0, not 0/0 = NaN.
        if (!targets.ne(ExampleEncoder.IgnoreIndex).any().item<bool>())
            return (logits.sum() * 0).MoveToOuterDisposeScope();
        var loss = nn.functional.cross_entropy(predicted, targets, ignore_index: ExampleEncoder.IgnoreIndex);
        return loss.MoveToOuterDisposeScope();
    }
}

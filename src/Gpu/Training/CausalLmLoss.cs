using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Training;

/// <summary>
/// Next-token cross-entropy averaged over the label tokens of a batch (prompt and pad positions carry
/// <see cref="ExampleEncoder.IgnoreIndex"/>), as HF's LlamaForCausalLM computes it; with it, from the same logits,
/// the first answer token's loss and hits (<see cref="FirstAnswerToken"/>).
/// </summary>
public static class CausalLmLoss
{
    public static Tensor Compute(LlamaForCausalLM model, TokenBatch batch)
    {
        var terms = ComputeWithDecision(model, batch);
        terms.Decision.Dispose();
        return terms.Mean;
    }

    public static AnswerLoss ComputeWithDecision(LlamaForCausalLM model, TokenBatch batch)
    {
        using var scope = NewDisposeScope();
        var logits = model.Forward(batch.InputIds, batch.AttentionMask);
        long vocab = logits.shape[^1], length = logits.shape[1];
        var shiftedLogits = logits.narrow(1, 0, length - 1);
        var shiftedLabels = batch.Labels.narrow(1, 1, length - 1);
        var decision = FirstAnswerToken.Measure(shiftedLogits, shiftedLabels);
        var predicted = shiftedLogits.reshape(-1, vocab);
        var targets = shiftedLabels.reshape(-1);
        // A batch whose answers were all cut off by the cutoff has no label: its loss is 0, not 0/0 = NaN.
        var loss = targets.ne(ExampleEncoder.IgnoreIndex).any().item<bool>()
            ? nn.functional.cross_entropy(predicted, targets, ignore_index: ExampleEncoder.IgnoreIndex)
            : logits.sum() * 0;
        return new AnswerLoss(loss.MoveToOuterDisposeScope(), decision.MoveToOuterDisposeScope());
    }
}

using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Models.T5;
using TorchSharp;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Training;

/// <summary>
/// Cross-entropy of the decoder's predictions against the target tokens, averaged over the non-padding labels
/// (ignore −100), as HF's T5ForConditionalGeneration computes it: no shift here, the decoder inputs are already
/// the targets shifted right. With it, from the same logits, the first target token's loss and hits
/// (<see cref="FirstAnswerToken"/>).
/// </summary>
public static class Seq2SeqLmLoss
{
    public static Tensor Compute(T5ForConditionalGeneration model, Seq2SeqBatch batch)
    {
        var terms = ComputeWithDecision(model, batch);
        terms.Decision.Dispose();
        return terms.Mean;
    }

    public static AnswerLoss ComputeWithDecision(T5ForConditionalGeneration model, Seq2SeqBatch batch)
    {
        using var scope = NewDisposeScope();
        var logits = model.Forward(batch.InputIds, batch.AttentionMask, batch.DecoderInputIds);
        long vocab = logits.shape[^1];
        var decision = FirstAnswerToken.Measure(logits, batch.Labels);
        var loss = nn.functional.cross_entropy(logits.reshape(-1, vocab), batch.Labels.reshape(-1), ignore_index: ExampleEncoder.IgnoreIndex);
        return new AnswerLoss(loss.MoveToOuterDisposeScope(), decision.MoveToOuterDisposeScope());
    }
}

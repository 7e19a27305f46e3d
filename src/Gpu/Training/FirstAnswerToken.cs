using RecurrentKif.Gpu.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Training;

/// <summary>
/// The decision diagnostics of a batch from logits already computed for its loss: at each row's first answer
/// position (the first target that is not <see cref="ExampleEncoder.IgnoreIndex"/>: after the prompt for a decoder-only
/// model, position 0 for T5), the cross-entropy of the gold token and whether the argmax is that token.
/// </summary>
public static class FirstAnswerToken
{
    /// <param name="logits">[B, T, V], aligned with <paramref name="targets"/> (already shifted for a causal LM).</param>
    /// <param name="targets">[B, T] gold ids, <see cref="ExampleEncoder.IgnoreIndex"/> where no loss applies.</param>
    /// <returns>A float tensor [3]: sum of the rows' cross-entropies, rows whose argmax is gold, rows with an answer token.</returns>
    public static Tensor Measure(Tensor logits, Tensor targets)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        long rows = targets.shape[0], length = targets.shape[1], vocab = logits.shape[^1];
        if (rows == 0 || length == 0) return zeros(3, dtype: ScalarType.Float32, device: logits.device).MoveToOuterDisposeScope();
        var valid = targets.ne(ExampleEncoder.IgnoreIndex);
        var hasAnswer = valid.any(1);
        // The smallest valid position of each row; a row without any gets a harmless 0 and is masked out below.
        var positions = arange(length, dtype: ScalarType.Int64, device: targets.device).unsqueeze(0).expand(rows, length);
        var first = positions.masked_fill(valid.logical_not(), length).min(1).values.clamp_max(length - 1);
        var rowLogits = logits.detach().gather(1, first.view(rows, 1, 1).expand(rows, 1, vocab)).squeeze(1).to(ScalarType.Float32);
        var gold = targets.gather(1, first.unsqueeze(1)).squeeze(1).masked_fill(hasAnswer.logical_not(), 0);
        var crossEntropy = nn.functional.cross_entropy(rowLogits, gold, reduction: nn.Reduction.None);
        var answered = hasAnswer.to(ScalarType.Float32);
        var correct = rowLogits.argmax(1).eq(gold).to(ScalarType.Float32) * answered;
        return stack([(crossEntropy * answered).sum(), correct.sum(), answered.sum()]).MoveToOuterDisposeScope();
    }
}

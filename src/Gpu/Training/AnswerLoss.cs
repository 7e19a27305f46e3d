using TorchSharp;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Training;

/// <summary>
/// A batch's training loss and what it says about the decision, from one forward pass.
/// <see cref="Mean"/> is the loss that is trained (mean cross-entropy over the answer tokens, with grad);
/// <see cref="Decision"/> is <see cref="FirstAnswerToken.Measure"/>'s [loss sum, correct, rows] at each row's first
/// answer token, without grad. The label words of a classification task mostly differ in that first token, so its
/// loss is the decision, while the mean is diluted by the tokens that follow it and by EOS.
/// </summary>
public sealed record AnswerLoss(Tensor Mean, Tensor Decision) : IDisposable
{
    /// <summary>Copies the decision numbers to the host (one device sync).</summary>
    public DecisionStats ReadDecision()
    {
        var host = Decision.device_type == DeviceType.CPU ? Decision : Decision.cpu();
        try
        {
            float[] v = host.data<float>().ToArray();
            return new DecisionStats(v[0], (long)Math.Round(v[1]), (long)Math.Round(v[2]));
        }
        finally
        {
            if (!ReferenceEquals(host, Decision)) host.Dispose();
        }
    }

    public void Dispose()
    {
        Mean.Dispose();
        Decision.Dispose();
    }
}

/// <summary>
/// Sums over rows of the first-answer-token cross-entropy, of rows whose argmax there is the gold token, and of rows
/// that have an answer token at all; add them up over micro-batches, then read <see cref="Loss"/> and <see cref="Accuracy"/>.
/// </summary>
public readonly record struct DecisionStats(double LossSum, long Correct, long Rows)
{
    /// <summary>Mean first-answer-token cross-entropy; NaN when no row had an answer token (all cut off).</summary>
    public double Loss => Rows == 0 ? double.NaN : LossSum / Rows;

    /// <summary>Teacher-forced accuracy of the first answer token; NaN when no row had an answer token.</summary>
    public double Accuracy => Rows == 0 ? double.NaN : (double)Correct / Rows;

    public static DecisionStats operator +(DecisionStats a, DecisionStats b) => new(a.LossSum + b.LossSum, a.Correct + b.Correct, a.Rows + b.Rows);
}

namespace RecurrentKif.Gpu.Training;

/// <summary>The loss or gradient norm of a step was NaN or infinite; the step was not applied.</summary>
public sealed class NonFiniteLossException(int step, double loss, double gradNorm)
    : Exception($"optimizer step {step}: loss {loss}, gradient norm {gradNorm} is not finite; the update was skipped and the weights are unchanged")
{
    public int Step { get; } = step;
    public double Loss { get; } = loss;
    public double GradNorm { get; } = gradNorm;
}

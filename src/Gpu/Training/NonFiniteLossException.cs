namespace RecurrentKif.Gpu.Training;

/// <summary>The loss or gradient norm of a step was NaN or infinite; the step was not applied.</summary>
/// <param name="step">The optimizer step (inner steps taken) at which it happened.</param>
/// <param name="where">Which step it was when not the inner optimizer step itself (e.g. an outer step on the memory).</param>
public sealed class NonFiniteLossException(int step, double loss, double gradNorm, string? where = null)
    : Exception($"{where ?? $"optimizer step {step}"}: loss {loss}, gradient norm {gradNorm} is not finite; the update was skipped and the weights are unchanged")
{
    public int Step { get; } = step;
    public double Loss { get; } = loss;
    public double GradNorm { get; } = gradNorm;
}

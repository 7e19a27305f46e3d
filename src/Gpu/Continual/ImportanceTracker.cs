using Serilog;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Continual;

/// <summary>
/// Per-scalar importance of the LoRA parameters (docs/algorithm.md §3.2), updated after an optimizer step from the
/// post-step weights w and the clipped gradient g of that step:
///   I = |w · g|,  Ī ← β1 Ī + (1 − β1) I,  Ū ← β2 Ū + (1 − β2) |I − Ī| (with the new Ī),  score = Ī · Ū.
/// State starts at zero (no bias correction) and after <see cref="Reset"/>. A step whose gradients contain NaN
/// is skipped entirely and counted (the code stops mid-way; skipping the whole step keeps tensors consistent).
/// </summary>
public sealed class ImportanceTracker : IDisposable
{
    private readonly double _beta1, _beta2;
    private readonly ImportanceScore _score;
    private Tensor[]? _smoothed;     // Ī per LoRA tensor
    private Tensor[]? _uncertainty;  // Ū per LoRA tensor

    public string Name { get; }
    public int Updates { get; private set; }
    public int SkippedNanSteps { get; private set; }
    public bool IsEmpty => _smoothed is null;

    public ImportanceTracker(string name, double beta1, double beta2, ImportanceScore score)
    {
        Name = name;
        _beta1 = beta1;
        _beta2 = beta2;
        _score = score;
    }

    /// <summary>Reads w and g of every parameter (in θ order); call after optimizer.step and before zero_grad.</summary>
    public void Update(IReadOnlyList<Parameter> parameters)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        // One device sync for the whole adapter rather than one per tensor: this runs after every optimizer step.
        if (parameters.Any(p => p.grad is null) || stack(parameters.Select(p => p.grad!.isnan().any()).ToList()).any().item<bool>())
        {
            SkippedNanSteps++;
            Log.Warning("Importance tracker {Tracker}: a LoRA gradient is NaN or missing; this step's importance update is skipped", Name);
            return;
        }
        _smoothed ??= parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        _uncertainty ??= parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        for (int i = 0; i < parameters.Count; i++)
        {
            var sensitivity = parameters[i].mul(parameters[i].grad!).abs_();
            _smoothed[i].mul_(_beta1).add_(sensitivity, alpha: 1 - _beta1);
            var deviation = sensitivity.sub_(_smoothed[i]).abs_();    // reuses I's buffer: I is not needed any more
            _uncertainty[i].mul_(_beta2).add_(deviation, alpha: 1 - _beta2);
        }
        Updates++;
    }

    /// <summary>The score of every scalar, one tensor per LoRA tensor; the caller owns (and disposes) them.</summary>
    public IReadOnlyList<Tensor> Scores()
    {
        if (_smoothed is null || _uncertainty is null) throw new InvalidOperationException($"importance tracker '{Name}' has no updates since its last reset");
        using var _ = no_grad();
        return _score == ImportanceScore.SensitivityOnly
            ? _smoothed.Select(s => s.clone()).ToList()
            : _smoothed.Zip(_uncertainty, (s, u) => s * u).ToList();
    }

    /// <summary>Forgets everything: the next update starts again from zero state.</summary>
    public void Reset()
    {
        if (_smoothed is not null) foreach (var t in _smoothed) t.Dispose();
        if (_uncertainty is not null) foreach (var t in _uncertainty) t.Dispose();
        _smoothed = null;
        _uncertainty = null;
        Updates = 0;
    }

    /// <summary>The raw state (Ī, Ū) for checkpoints; null when empty.</summary>
    public (IReadOnlyList<Tensor> Smoothed, IReadOnlyList<Tensor> Uncertainty)? State =>
        _smoothed is null || _uncertainty is null ? null : (_smoothed, _uncertainty);

    /// <summary>Replaces the state with copies of checkpointed (Ī, Ū) tensors and an update count.</summary>
    public void Restore(IReadOnlyList<Tensor> smoothed, IReadOnlyList<Tensor> uncertainty, int updates, int skipped)
    {
        Reset();
        _smoothed = smoothed.Select(t => t.clone().DetachFromDisposeScope()).ToArray();
        _uncertainty = uncertainty.Select(t => t.clone().DetachFromDisposeScope()).ToArray();
        Updates = updates;
        SkippedNanSteps = skipped;
    }

    public void Dispose() => Reset();
}

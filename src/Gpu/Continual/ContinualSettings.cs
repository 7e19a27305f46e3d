using RecurrentKif.Gpu.Lora;
using RecurrentKif.Gpu.Training;

namespace RecurrentKif.Gpu.Continual;

/// <summary>
/// Everything that defines a continual run besides the model and the tasks. A run's values come from hocon/reference.conf
/// under its file (RunConfigurationLoader); the initial values here, and in the records it holds, are reference.conf's
/// defaults for library and test use, held equal to it by a test that binds reference.conf alone.
/// </summary>
public sealed record ContinualSettings
{
    public ContinualMethod Method { get; init; } = ContinualMethod.RecurrentKif;
    public FineTuneSettings FineTune { get; init; } = new();
    public OptimizerSettings Optimizer { get; init; } = new();
    public LoraSettings Lora { get; init; } = new();
    public KifSettings Kif { get; init; } = new();
    /// <summary>Share of each finished task's training set kept in the replay memory (class-balanced).</summary>
    public double MemoryRatio { get; init; } = 0.02;
    /// <summary>Dev examples per seen task in the validation set used for checkpoint selection.</summary>
    public int ValidationPerTask { get; init; } = 25;
    /// <summary>Validate (and keep a candidate checkpoint) every this many optimizer steps.</summary>
    public int EvalEvery { get; init; } = 40;
    /// <summary>End each task on the candidate with the lowest validation loss (the code's intent, docs/algorithm.md §7.6), else on the last step.</summary>
    public bool SelectBestByValidationLoss { get; init; } = true;
    /// <summary>TaSL's weight of the current task's update where both importance masks are on (previous gets 1 − this).</summary>
    public double StaticBothCurrentWeight { get; init; } = 0.3;
    public int EvaluationBatchSize { get; init; } = 16;
    /// <summary>New tokens generated per evaluated example (label words are short; the code allows 128).</summary>
    public int MaxNewTokens { get; init; } = 16;

    public void Validate()
    {
        FineTune.Validate();
        Optimizer.Validate();
        Lora.Validate();
        Kif.Validate();
        if (MemoryRatio is < 0 or > 1) throw new ArgumentException($"memory ratio must be in [0, 1] (got {MemoryRatio})");
        if (ValidationPerTask < 0) throw new ArgumentException($"validation examples per task must be >= 0 (got {ValidationPerTask})");
        if (EvalEvery <= 0) throw new ArgumentException($"eval-every must be > 0 (got {EvalEvery})");
        if (StaticBothCurrentWeight is < 0 or > 1) throw new ArgumentException($"static both-weight must be in [0, 1] (got {StaticBothCurrentWeight})");
        if (EvaluationBatchSize <= 0 || MaxNewTokens <= 0) throw new ArgumentException("evaluation batch size and max new tokens must be > 0");
    }
}

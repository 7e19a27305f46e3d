namespace RecurrentKif.Gpu.Continual;

/// <summary>What an importance score is made of (docs/algorithm.md §3.2).</summary>
public enum ImportanceScore
{
    /// <summary>Smoothed sensitivity × uncertainty, Ī · Ū (the official code; AdaLoRA's score).</summary>
    SensitivityTimesUncertainty,
    /// <summary>Smoothed sensitivity Ī alone.</summary>
    SensitivityOnly,
}

/// <summary>How masks turn into per-element fusion weights (docs/algorithm.md §3.4).</summary>
public enum FusionRule
{
    /// <summary>The official code: in-only (1, 0), out-only (0, 1), both (0.4, 0.6), neither (0.5, 0.5).</summary>
    Code,
    /// <summary>The paper's formula read literally: w_in = m_in, w_out = m_out (both summed, neither zeroed).</summary>
    PaperBinary,
    /// <summary>
    /// The paper's "+ Adaptive" ablation: soft weights from the scores instead of masks. Each score map is min–max
    /// normalised over all LoRA scalars, then w_in = softmax over (s_in, s_out) at <see cref="KifSettings.AdaptiveTemperature"/>
    /// and w_out = 1 − w_in.
    /// </summary>
    Adaptive,
}

/// <summary>Which optimizer performs the outer (memory) steps (docs/algorithm.md §3.5 and §7.2).</summary>
public enum OuterUpdateMode
{
    /// <summary>T5 code: the task's own AdamW at its current scheduled LR; the schedule is not advanced.</summary>
    SharedInnerAdam,
    /// <summary>LLaMA code: the outer LR is effectively 0, so τ_out = 0 and the outer loop only measures importance.</summary>
    Frozen,
    /// <summary>The apparent intent: a separate AdamW over θ at <see cref="KifSettings.OuterLearningRate"/>.</summary>
    SeparateAdamW,
}

/// <summary>
/// Recurrent-KIF's hyperparameters (docs/algorithm.md §4). The initial values are hocon/reference.conf's rkif.kif
/// defaults, for library and test use; a test binds reference.conf and requires them equal, so it stays the one home.
/// </summary>
public sealed record KifSettings
{
    /// <summary>Q: inner optimizer steps per cycle.</summary>
    public int InnerSteps { get; init; } = 8;
    /// <summary>Outer (memory) optimizer steps per cycle.</summary>
    public int OuterSteps { get; init; } = 4;
    /// <summary>Examples per outer step (capped by the memory size): 8 for T5, 64 for LLaMA.</summary>
    public int OuterBatchSize { get; init; } = 64;
    /// <summary>
    /// Divide the outer loss by this. The code reuses the training step, which divides by the gradient-accumulation
    /// factor (4 in every launcher); null means "the run's accumulation factor".
    /// </summary>
    public double? OuterLossDivisor { get; init; }
    public double Beta1 { get; init; } = 0.85;
    public double Beta2 { get; init; } = 0.85;
    /// <summary>Masks keep scores strictly above this quantile of all LoRA scores (0.8 keeps the top 20 %).</summary>
    public double Quantile { get; init; } = 0.8;
    /// <summary>One quantile over all LoRA scalars (true, the code's choice) or one per tensor.</summary>
    public bool GlobalQuantile { get; init; } = true;
    public ImportanceScore Score { get; init; } = ImportanceScore.SensitivityTimesUncertainty;
    public FusionRule Fusion { get; init; } = FusionRule.Code;
    public bool ResetInnerEachCycle { get; init; } = true;
    public bool ResetOuterEachCycle { get; init; }
    /// <summary>
    /// The LLaMA code's mode is <see cref="OuterUpdateMode.Frozen"/>, the T5 code's <see cref="OuterUpdateMode.SharedInnerAdam"/>;
    /// the default is reference.conf's, chosen by measurement (docs/learning.md §3).
    /// </summary>
    public OuterUpdateMode OuterUpdate { get; init; } = OuterUpdateMode.SeparateAdamW;
    public double OuterLearningRate { get; init; } = 1e-3;
    /// <summary>Temperature τ of the <see cref="FusionRule.Adaptive"/> weights (the official launchers do not set it).</summary>
    public double AdaptiveTemperature { get; init; } = 1.0;

    // The paper's ablations (docs/algorithm.md §3.8); each default is the full method.

    /// <summary>
    /// Off is "− KI": task vectors are merged without knowledge identification, every scalar gets the "neither"
    /// weights (0.5, 0.5), i.e. τ_in and τ_out are plainly averaged.
    /// </summary>
    public bool IdentifyKnowledge { get; init; } = true;
    /// <summary>
    /// On is "+ GM": no recurrent fusion; the inner learner trains the whole task, then the task end runs the outer
    /// steps every cycle would have had (M_out × ⌊N / Q⌋) and fuses once against the task-start adapter.
    /// </summary>
    public bool GlobalMerge { get; init; }
    /// <summary>
    /// Off is "− DIE": historical importance is not re-estimated; the outer tracker only learns from the first
    /// cycle's outer steps of each task (the outer steps still train).
    /// </summary>
    public bool DynamicImportance { get; init; } = true;
    /// <summary>Off is "− Share": scalars key to both sides get no update, weights (0, 0).</summary>
    public bool UpdateShared { get; init; } = true;

    public void Validate()
    {
        if (InnerSteps <= 0) throw new ArgumentException($"inner steps per cycle (Q) must be > 0 (got {InnerSteps})");
        if (OuterSteps <= 0) throw new ArgumentException($"outer steps per cycle must be > 0 (got {OuterSteps})");
        if (OuterBatchSize <= 0) throw new ArgumentException($"outer batch size must be > 0 (got {OuterBatchSize})");
        if (OuterLossDivisor is <= 0) throw new ArgumentException($"outer loss divisor must be > 0 (got {OuterLossDivisor})");
        if (Beta1 is < 0 or >= 1 || Beta2 is < 0 or >= 1) throw new ArgumentException($"importance EMA betas must be in [0, 1) (got {Beta1}, {Beta2})");
        if (Quantile is <= 0 or >= 1) throw new ArgumentException($"mask quantile must be in (0, 1) (got {Quantile})");
        if (OuterLearningRate <= 0) throw new ArgumentException($"outer learning rate must be > 0 (got {OuterLearningRate})");
        if (!(AdaptiveTemperature > 0) || double.IsInfinity(AdaptiveTemperature))
            throw new ArgumentException($"adaptive temperature must be a finite number > 0 (got {AdaptiveTemperature})");
        // Adaptive weights come from the scores, not the masks, so the mask-table ablations would silently do nothing.
        if (Fusion == FusionRule.Adaptive && !IdentifyKnowledge)
            throw new ArgumentException("adaptive fusion needs knowledge identification (identify-knowledge = on); − KI already replaces the weights");
        if (!DynamicImportance && ResetOuterEachCycle)
            throw new ArgumentException("dynamic-importance = off keeps the first cycle's outer importance, which reset-outer-each-cycle = on would erase");
        if (Fusion == FusionRule.Adaptive && !UpdateShared)
            throw new ArgumentException("update-shared = off changes the mask table, which adaptive fusion does not use");
    }
}

namespace RecurrentKif.Gpu.Continual;

/// <summary>The methods one run can compare (same model, data, memory and evaluation).</summary>
public enum ContinualMethod
{
    /// <summary>Recurrent-KIF: inner/outer learners with importance-guided fusion every Q steps (docs/algorithm.md §3).</summary>
    RecurrentKif,
    /// <summary>Plain sequential LoRA fine-tuning: the lower bound.</summary>
    SeqLora,
    /// <summary>Sequential LoRA with the same replay memory mixed into each task's training data; no fusion.</summary>
    Replay,
    /// <summary>TaSL-style static importance: importance measured once per task, one importance-masked merge at task end.</summary>
    StaticImportance,
    /// <summary>All tasks' training data at once: the upper bound (only the final row of the matrix exists).</summary>
    MultiTask,
    /// <summary>
    /// The compute-matched control for Recurrent-KIF: the same inner steps and the same outer (memory) steps per cycle,
    /// with the same outer mode, but no identification and no fusion (θ just continues). Only a gap between this and
    /// Recurrent-KIF can be credited to the fusion itself rather than to the extra memory steps.
    /// </summary>
    ComputeMatchedReplay,
}

namespace RecurrentKif.Gpu.Lora;

/// <summary>LoRA hyperparameters (docs/algorithm.md §3.1): r = 8, α = 32, dropout 0.05, targets q_proj and v_proj.</summary>
public sealed record LoraSettings
{
    public int Rank { get; init; } = 8;
    public double Alpha { get; init; } = 32;
    public double Dropout { get; init; } = 0.05;
    /// <summary>Last name segment of the linear layers that get an adapter (e.g. q_proj, v_proj, o_proj, gate_proj).</summary>
    public IReadOnlyList<string> TargetModules { get; init; } = ["q_proj", "v_proj"];

    public double Scale => Alpha / Rank;

    public void Validate()
    {
        if (Rank <= 0) throw new ArgumentException($"LoRA rank must be > 0 (got {Rank})");
        if (Alpha <= 0) throw new ArgumentException($"LoRA alpha must be > 0 (got {Alpha})");
        if (Dropout is < 0 or >= 1) throw new ArgumentException($"LoRA dropout must be in [0, 1) (got {Dropout})");
        if (TargetModules.Count == 0) throw new ArgumentException("LoRA needs at least one target module");
    }
}

using System.Text.Json.Serialization;

namespace RecurrentKif.Gpu.Lora;

/// <summary>LoRA hyperparameters (docs/algorithm.md §3.1): r = 8, α = 32, dropout 0.05, targets q_proj and v_proj.</summary>
public sealed record LoraSettings
{
    public int Rank { get; init; } = 8;
    public double Alpha { get; init; } = 32;
    public double Dropout { get; init; } = 0.05;
    /// <summary>
    /// Names of the linear layers that get an adapter, as PEFT reads a list: a layer matches when its module path
    /// equals a name or ends with "." + name (q_proj, v_proj, self_attn.o_proj, …). Ignored when
    /// <see cref="TargetPattern"/> is set.
    /// </summary>
    public IReadOnlyList<string> TargetModules { get; init; } = ["q_proj", "v_proj"];
    /// <summary>
    /// PEFT's string form of target_modules: a regular expression that must match a layer's whole module path, or
    /// <see cref="LoraTargets.AllLinear"/> (every linear layer except the output head). Null: <see cref="TargetModules"/> decides.
    /// Left out of JSON when null, so the settings of a run started before patterns existed serialise, and therefore
    /// fingerprint (RunConfiguration.Fingerprint), exactly as they did then.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TargetPattern { get; init; }

    public double Scale => Alpha / Rank;

    /// <summary>The targets as a person reads them: the list, or the pattern in quotes.</summary>
    public string DescribeTargets() => TargetPattern is null ? string.Join(", ", TargetModules) : $"\"{TargetPattern}\"";

    public void Validate()
    {
        if (Rank <= 0) throw new ArgumentException($"LoRA rank must be > 0 (got {Rank})");
        if (Alpha <= 0) throw new ArgumentException($"LoRA alpha must be > 0 (got {Alpha})");
        if (Dropout is < 0 or >= 1) throw new ArgumentException($"LoRA dropout must be in [0, 1) (got {Dropout})");
        if (TargetPattern is null && TargetModules.Count == 0) throw new ArgumentException("LoRA needs at least one target module");
        if (TargetPattern is not null) LoraTargets.CompilePattern(TargetPattern);
    }
}

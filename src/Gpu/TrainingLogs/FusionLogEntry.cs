using RecurrentKif.Gpu.Continual;

namespace RecurrentKif.Gpu.TrainingLogs;

/// <summary>
/// One fusion (docs/algorithm.md §3.4) as the training logs record it: after step <see cref="Step"/> of the task, the
/// shares of LoRA scalars that were key to the new task only (τ_in kept, τ_out dropped), to the old tasks only (τ_in
/// pruned), to both (merged) and to neither.
/// </summary>
public sealed record FusionLogEntry(int Task, string TaskName, int Step, int Cycle, MaskShares Shares)
{
    public double InOnlyShare => Share(Shares.InOnly);
    public double OutOnlyShare => Share(Shares.OutOnly);
    public double BothShare => Share(Shares.Both);
    public double NeitherShare => Share(Shares.Neither);

    private double Share(long count) => Shares.Total == 0 ? 0 : (double)count / Shares.Total;
}

namespace RecurrentKif.Gpu.Continual;

/// <summary>
/// Settings that are legal but cannot do what they are meant to for one task, found before its first step: a
/// warm-up that never ends (the learning rate never reaches its peak), checkpoint selection that never sees a
/// candidate, or a Recurrent-KIF task without a memory (it would silently train as plain LoRA). Pure, so tests can
/// read the messages; <see cref="TaskSession.WarnAboutSettings"/> logs them.
/// </summary>
public static class SettingsChecks
{
    public static IReadOnlyList<string> For(TaskPlan plan, ContinualSettings settings, int totalSteps)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(settings);
        var messages = new List<string>();
        int warmup = settings.Optimizer.WarmupSteps;
        if (warmup > 0 && warmup >= totalSteps)
            messages.Add($"task {plan.Name}: warm-up of {warmup} steps is not shorter than the task's {totalSteps} steps, " +
                         $"so the learning rate never reaches {settings.Optimizer.LearningRate} (lower warm-up-steps)");
        if (settings.SelectBestByValidationLoss && plan.Validation.Count > 0 && settings.EvalEvery > totalSteps)
            messages.Add($"task {plan.Name}: validation every {settings.EvalEvery} steps never happens within the task's {totalSteps} steps, " +
                         "so no checkpoint is selected: the task ends on its last step (lower eval-every)");
        if (plan.Fuse && plan.Memory.Count == 0)
            messages.Add($"task {plan.Name}: Recurrent-KIF fusion is on but the replay memory is empty (memory ratio {settings.MemoryRatio}), " +
                         "so there is no outer step and no fusion: this task trains as plain LoRA");
        return messages;
    }
}

using Xunit.Abstractions;

namespace RecurrentKif.Integration.Tests.Attacks;

/// <summary>A task-end adapter deleted after its task was journaled: the verified backup copy carries the run on.</summary>
[Trait("Category", "Attack")]
public sealed class CheckpointAttackTests(ITestOutputHelper output)
{
    [Fact]
    public void A_deleted_task_end_adapter_is_replaced_by_its_backup_and_the_run_completes()
    {
        using var run = new TinyRun();
        var killed = run.Run("after-task:1");   // task 0 trained and journaled, not yet evaluated
        Assert.NotEqual(0, killed.ExitCode);
        string taskEnd = Path.Combine(run.RunFolder, "checkpoints", "task00-final.adapter");
        Assert.True(File.Exists(taskEnd), killed.Output);
        File.Delete(taskEnd);

        // Before: the task-end adapter had no fallback; its evaluation and task 1 (which starts from it) failed every retry.
        var resumed = run.Run();
        bool usedBackup = resumed.Output.Contains("using its backup");
        bool pass = resumed.ExitCode == 0 && usedBackup && File.Exists(run.FinalAdapter);
        AttackLog.Case(output, "deleted task-end adapter", "the backup (same SHA-256) is used with a warning; the run completes",
            $"resume exit {resumed.ExitCode}; backup used: {usedBackup}; last task's adapter {(File.Exists(run.FinalAdapter) ? "present" : "missing")}", pass);
        Assert.True(pass, resumed.Output);
    }
}

using System.Diagnostics;
using Microsoft.Data.Sqlite;
using RecurrentKif.Actors;
using RecurrentKif.Actors.Settings;
using RecurrentKif.Gpu.Checkpoints;
using Xunit.Abstractions;

namespace RecurrentKif.Integration.Tests.Attacks;

/// <summary>
/// Faults the run cannot recover from by itself must end `rkif run` with a clear error and a non-zero exit within a
/// bounded time, never a hang (docs/architecture.md §2.2 and §5), and must leave every event journaled before them intact.
/// Each case first trains task 0 of a tiny run and kills the process right after its TaskTrained is journaled
/// (RKIF_FAULT after-task:1), then breaks one thing and runs the same command again.
/// </summary>
[Trait("Category", "Attack")]
public sealed class CoordinatorFaultAttackTests(ITestOutputHelper output)
{
    /// <summary>The most a failing run may take; a run that still has not ended then fails the case (and is killed).</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_final_adapter_deleted_with_its_backup_ends_the_run_with_an_error_naming_the_evaluator_and_the_file()
    {
        using var run = new TinyRun();
        var before = await TrainFirstTaskThenKill(run);
        string adapter = before.Trained[0].CheckpointPath;
        // Both copies: with one left, the verified backup carries the run on (CheckpointAttackTests).
        File.Delete(adapter);
        File.Delete(TensorBundle.BackupOf(adapter));

        var (result, seconds) = RunBounded(run);
        var after = await RunHost.ReadStateAsync(RunConfigurationLoader.Load(run.ConfigPath));
        bool clear = result.ExitCode is not 0 and not 137 && result.Output.Contains("evaluator") && result.Output.Contains(Path.GetFileName(adapter));
        bool kept = JournalKept(before, after);
        AttackLog.Case(output, "coordinator: final adapter and its backup deleted before its evaluation",
            $"non-zero exit within {Bound.TotalMinutes:0} min naming the evaluator stage and {Path.GetFileName(adapter)}; every journaled event kept",
            $"exit {result.ExitCode} after {seconds:F0} s: {ErrorLine(result.Output)}; journal kept: {kept}", clear && kept);
        Assert.True(clear, result.Output);
        Assert.True(kept);
        AssertStatusShowsTrainedTask(run);
    }

    [Fact]
    public async Task A_final_adapter_corrupted_with_its_backup_ends_the_run_with_an_error_naming_the_evaluator_and_the_file()
    {
        using var run = new TinyRun();
        var before = await TrainFirstTaskThenKill(run);
        string adapter = before.Trained[0].CheckpointPath;
        foreach (string copy in new[] { adapter, TensorBundle.BackupOf(adapter) })   // both copies, as above
            using (var file = new FileStream(copy, FileMode.Open, FileAccess.Write))
            {
                file.Seek(file.Length / 2, SeekOrigin.Begin);
                file.Write(Enumerable.Repeat((byte)0x5A, 64).ToArray());
            }

        var (result, seconds) = RunBounded(run);
        var after = await RunHost.ReadStateAsync(RunConfigurationLoader.Load(run.ConfigPath));
        bool clear = result.ExitCode is not 0 and not 137 && result.Output.Contains("evaluator") && result.Output.Contains(Path.GetFileName(adapter))
                     && result.Output.Contains("corrupt");
        bool kept = JournalKept(before, after);
        AttackLog.Case(output, "coordinator: final adapter and its backup corrupted before its evaluation",
            $"non-zero exit within {Bound.TotalMinutes:0} min naming the evaluator stage and the corrupt {Path.GetFileName(adapter)}; every journaled event kept",
            $"exit {result.ExitCode} after {seconds:F0} s: {ErrorLine(result.Output)}; journal kept: {kept}", clear && kept);
        Assert.True(clear, result.Output);
        Assert.True(kept);
        AssertStatusShowsTrainedTask(run);
    }

    [Fact]
    public async Task A_corrupt_journal_event_ends_the_run_with_an_error_naming_the_journal_and_deletes_nothing()
    {
        using var run = new TinyRun();
        await TrainFirstTaskThenKill(run);
        string journal = Path.Combine(run.Root, "data", "journal.db");
        var rowsBefore = JournalRows(journal);
        long corrupted = rowsBefore.Keys.Max();   // the TaskTrained event
        using (var connection = new SqliteConnection($"Data Source={journal};Pooling=False"))
        {
            connection.Open();
            using var update = connection.CreateCommand();
            update.CommandText = "UPDATE journal SET message = $garbage WHERE persistence_id = 'rkif-run-tiny' AND sequence_number = $sequence";
            update.Parameters.AddWithValue("$garbage", "{\"not\": an event]"u8.ToArray());
            update.Parameters.AddWithValue("$sequence", corrupted);
            Assert.Equal(1, update.ExecuteNonQuery());
        }
        var rowsCorrupted = JournalRows(journal);

        var (result, seconds) = RunBounded(run);
        var rowsAfter = JournalRows(journal);
        bool clear = result.ExitCode is not 0 and not 137 && result.Output.Contains("SQLite journal") && result.Output.Contains(journal)
                     && result.Output.Contains("recovering the run failed");
        bool kept = rowsAfter.Count == rowsCorrupted.Count && rowsAfter.All(r => rowsCorrupted[r.Key].SequenceEqual(r.Value))
                    && rowsBefore.Where(r => r.Key != corrupted).All(r => rowsAfter[r.Key].SequenceEqual(r.Value));
        var status = RkifProcess.Run($"status \"{run.ConfigPath}\"", timeout: Bound);
        bool statusClear = status.ExitCode != 0 && status.Output.Contains("cannot be read");
        AttackLog.Case(output, "coordinator: one journal event's payload overwritten with garbage",
            $"non-zero exit within {Bound.TotalMinutes:0} min naming the SQLite journal and the failed recovery; all {rowsBefore.Count} rows still there, none rewritten; rkif status fails at once saying so",
            $"exit {result.ExitCode} after {seconds:F0} s: {ErrorLine(result.Output)}; rows {rowsBefore.Count} → {rowsAfter.Count}, kept: {kept}; status exit {status.ExitCode}",
            clear && kept && statusClear);
        Assert.True(clear, result.Output);
        Assert.True(kept);
        Assert.True(statusClear, status.Output);
    }

    /// <summary>
    /// The data root is a small tmpfs (the checkpoints and logs are linked to a real folder) that is filled up after task 0
    /// is trained: the next journal write (TaskEvaluated) fails with "disk full". Needs root to mount the tmpfs.
    /// </summary>
    [SkippableFact]
    public async Task A_full_disk_under_the_journal_ends_the_run_with_an_error_naming_the_journal_and_keeps_every_event()
    {
        using var run = new TinyRun();
        string dataRoot = Path.Combine(run.Root, "data");
        Directory.CreateDirectory(dataRoot);
        using var tmpfs = SmallTmpfs.TryMount(dataRoot, "16m");
        Skip.If(tmpfs is null, "mounting a tmpfs needs root; this case runs where the tests run as root");
        string runs = Path.Combine(run.Root, "runs-on-disk");
        Directory.CreateDirectory(runs);
        Directory.CreateSymbolicLink(Path.Combine(dataRoot, "runs"), runs);
        var before = await TrainFirstTaskThenKill(run);
        string filler = Path.Combine(dataRoot, "filler");
        FillUp(filler);

        var (result, seconds) = RunBounded(run);
        string journal = Path.Combine(dataRoot, "journal.db");
        bool clear = result.ExitCode is not 0 and not 137 && result.Output.Contains($"the SQLite journal {journal}") && result.Output.Contains("full");
        File.Delete(filler);
        var after = await RunHost.ReadStateAsync(RunConfigurationLoader.Load(run.ConfigPath));
        bool kept = JournalKept(before, after) && !after.Rows.ContainsKey(0);
        AttackLog.Case(output, "coordinator: disk full under the SQLite journal",
            $"non-zero exit within {Bound.TotalMinutes:0} min after bounded restarts, naming the SQLite journal and the full disk; every journaled event kept",
            $"exit {result.ExitCode} after {seconds:F0} s: {ErrorLine(result.Output)}; journal kept: {kept}", clear && kept);
        Assert.True(clear, result.Output);
        Assert.True(kept);
        AssertStatusShowsTrainedTask(run);
    }

    /// <summary>Task 0 trained and journaled, the process killed before its evaluation; returns the journal's state then.</summary>
    private static async Task<RunState> TrainFirstTaskThenKill(TinyRun run)
    {
        var killed = run.Run("after-task:1");
        Assert.True(killed.ExitCode != 0 && killed.Output.Contains("RKIF_FAULT: killing the process"), killed.Output);
        var state = await RunHost.ReadStateAsync(RunConfigurationLoader.Load(run.ConfigPath));
        Assert.True(state.Trained.ContainsKey(0) && !state.Rows.ContainsKey(0), "task 0 should be trained and not yet evaluated");
        return state;
    }

    /// <summary>The same command again; a run still going after <see cref="Bound"/> is killed and counts as a hang.</summary>
    private static (RkifProcess.Result Result, double Seconds) RunBounded(TinyRun run)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var result = RkifProcess.Run($"run \"{run.ConfigPath}\"", timeout: Bound);
            return (result, clock.Elapsed.TotalSeconds);
        }
        catch (TimeoutException e)
        {
            return (new RkifProcess.Result(-1, "HANG: " + e.Message), clock.Elapsed.TotalSeconds);
        }
    }

    /// <summary>Every event of <paramref name="before"/> is still in the journal, unchanged (later ones may follow).</summary>
    private static bool JournalKept(RunState before, RunState after) =>
        after.Started?.InitialSha256 == before.Started?.InitialSha256 && after.Started?.StartedUtc == before.Started?.StartedUtc
        && before.Trained.All(t => after.Trained.TryGetValue(t.Key, out var kept) && kept.Sha256 == t.Value.Sha256 && kept.CheckpointPath == t.Value.CheckpointPath)
        && before.Commits.All(c => after.Commits.TryGetValue(c.Key, out var kept) && kept.Take(c.Value.Count).SequenceEqual(c.Value))
        && before.Rows.All(r => after.Rows.ContainsKey(r.Key))
        && after.Rollbacks.Take(before.Rollbacks.Count).SequenceEqual(before.Rollbacks);

    private static void AssertStatusShowsTrainedTask(TinyRun run)
    {
        var status = RkifProcess.Run($"status \"{run.ConfigPath}\"", timeout: Bound);
        Assert.True(status.ExitCode == 0, status.Output);
        Assert.Contains("trained, evaluation pending", status.Output);
    }

    private static Dictionary<long, byte[]> JournalRows(string journal)
    {
        using var connection = new SqliteConnection($"Data Source={journal};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var select = connection.CreateCommand();
        select.CommandText = "SELECT sequence_number, message FROM journal WHERE persistence_id = 'rkif-run-tiny'";
        using var reader = select.ExecuteReader();
        var rows = new Dictionary<long, byte[]>();
        while (reader.Read()) rows[reader.GetInt64(0)] = (byte[])reader.GetValue(1);
        return rows;
    }

    private static void FillUp(string path)
    {
        var block = new byte[64 * 1024];
        try
        {
            using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
            while (true) file.Write(block);
        }
        catch (IOException) { }   // no space left: the point
    }

    /// <summary>The last error line of a run's output (what a user sees), without the attack table's column separator.</summary>
    private static string ErrorLine(string output) =>
        (output.Split('\n').LastOrDefault(l => l.Contains("ERR") || l.Contains("HANG") || l.Contains("failed"))?.Trim() ?? "(no error line)").Replace('|', '/');
}

using System.Text.Json;

namespace RecurrentKif.Gpu.Checkpoints;

/// <summary>
/// Deletes old step commits, and only once the journal has recorded a newer one (docs/architecture.md §6): called by
/// the coordinator after its CycleCommitted event is persisted, so a crash at any instant leaves at least one commit
/// that the journal names and whose file is there, even with <c>checkpoints.keep = 1</c>. Commits newer than the
/// journaled one are never touched (they are not recorded yet, or belong to a later attempt).
/// </summary>
public static class CheckpointPruner
{
    /// <summary>
    /// Keeps the newest <paramref name="keep"/> commits up to and including <paramref name="committed"/> (same task, same
    /// kind, same folder) and deletes older ones. For a learner group's manifest, the ranks' own commit files (named by
    /// the manifest) are pruned the same way in their folders. Returns the files deleted.
    /// </summary>
    public static IReadOnlyList<string> AfterJournaled(CheckpointReference committed, int keep)
    {
        ArgumentNullException.ThrowIfNull(committed);
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        if (CheckpointNames.ParseCommit(committed.Path) is not { } commit) return [];
        var deleted = new List<string>(Prune(committed.Path, commit.Task, commit.Kind, keep));
        if (commit.Kind == ".group.json")
            foreach (string rank in RankFiles(committed.Path))
                if (CheckpointNames.ParseCommit(rank) is { } r) deleted.AddRange(Prune(rank, r.Task, r.Kind, keep));
        return deleted;
    }

    private static List<string> Prune(string newest, int task, string kind, int keep)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(newest))!;
        string name = Path.GetFileName(newest);
        var upToNewest = CheckpointNames.Commits(folder, task, kind).Where(f => string.CompareOrdinal(Path.GetFileName(f), name) <= 0).ToList();
        var old = upToNewest.Take(Math.Max(0, upToNewest.Count - keep)).ToList();
        var deleted = new List<string>();
        foreach (string file in old)
        {
            // A file that cannot be deleted costs disk space, not correctness: the run goes on.
            try { File.Delete(file); deleted.Add(file); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Serilog.Log.Warning("Cannot delete the old commit {File}: {Message}", file, e.Message);
            }
        }
        return deleted;
    }

    // The manifest's rank paths only: pruning needs no hash check (GroupCommit.Read checks them when they are loaded).
    private static IEnumerable<string> RankFiles(string manifest)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(manifest));
            return document.RootElement.GetProperty("Ranks").EnumerateArray().Select(r => r.GetProperty("Path").GetString()).OfType<string>().Distinct().ToList();
        }
        catch (Exception e) when (e is IOException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return [];   // an unreadable manifest is the resume's problem to report; pruning just keeps the rank files
        }
    }
}

using RecurrentKif.Gpu.Checkpoints;

namespace RecurrentKif.Gpu.Tests.Checkpoints;

/// <summary>Old commits go only once a newer one is journaled, and never a newer one or another task's.</summary>
public sealed class CheckpointPrunerTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "rkif-prune-" + Guid.NewGuid().ToString("N"));

    public CheckpointPrunerTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Write(string path)
    {
        File.WriteAllText(path, "x");
        return path;
    }

    [Fact]
    public void With_keep_1_only_the_journaled_commit_and_newer_unjournaled_ones_remain()
    {
        Write(CheckpointNames.StepCommit(folder, 1, 2));
        Write(CheckpointNames.StepCommit(folder, 1, 4));
        string journaled = Write(CheckpointNames.StepCommit(folder, 1, 6));
        string newer = Write(CheckpointNames.StepCommit(folder, 1, 8));   // written, not yet journaled
        string otherTask = Write(CheckpointNames.StepCommit(folder, 0, 2));
        string final = Write(CheckpointNames.TaskEnd(folder, 1));

        var deleted = CheckpointPruner.AfterJournaled(new CheckpointReference(journaled, "sha"), keep: 1);

        Assert.Equal([CheckpointNames.StepCommit(folder, 1, 2), CheckpointNames.StepCommit(folder, 1, 4)], deleted);
        Assert.All([journaled, newer, otherTask, final], f => Assert.True(File.Exists(f), f));
    }

    [Fact]
    public void A_group_commit_prunes_older_manifests_and_the_ranks_files_in_their_folders()
    {
        string rankFolder = Directory.CreateDirectory(Path.Combine(folder, "learner-a")).FullName;
        foreach (int step in new[] { 2, 4, 6 })
        {
            string rank = Write(CheckpointNames.StepCommit(rankFolder, 0, step));
            GroupCommit.Save(CheckpointNames.GroupCommit(folder, 0, step), "t", step, [new CheckpointReference(rank, "sha")]);
        }
        var committed = new CheckpointReference(CheckpointNames.GroupCommit(folder, 0, 6), "sha");

        CheckpointPruner.AfterJournaled(committed, keep: 2);

        Assert.Equal([CheckpointNames.GroupCommit(folder, 0, 4), CheckpointNames.GroupCommit(folder, 0, 6)], CheckpointNames.Commits(folder, 0, ".group.json"));
        Assert.Equal([CheckpointNames.StepCommit(rankFolder, 0, 4), CheckpointNames.StepCommit(rankFolder, 0, 6)], CheckpointNames.Commits(rankFolder, 0, ".ckpt"));
    }

    [Fact]
    public void Names_parse_back_and_other_files_are_not_commits()
    {
        Assert.Equal((3, 120, ".ckpt"), CheckpointNames.ParseCommit(CheckpointNames.StepCommit(folder, 3, 120)));
        Assert.Equal((3, 120, ".group.json"), CheckpointNames.ParseCommit(CheckpointNames.GroupCommit(folder, 3, 120)));
        Assert.Null(CheckpointNames.ParseCommit(CheckpointNames.TaskEnd(folder, 3)));
        Assert.Null(CheckpointNames.ParseCommit(CheckpointNames.Initial(folder)));
        Assert.Null(CheckpointNames.ParseCommit(Path.Combine(folder, ".task03-step000120.ckpt.1.abc.tmp")));
    }
}

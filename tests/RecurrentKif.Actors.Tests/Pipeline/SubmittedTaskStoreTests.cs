using RecurrentKif.Actors.Pipeline;
using RecurrentKif.Actors.Tests.Gateway;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Data;

namespace RecurrentKif.Actors.Tests.Pipeline;

/// <summary>
/// A submitted task is read once from its source and from then on only from the run's hashed copy: a source edited,
/// swapped or deleted later changes nothing, and a damaged copy is a clear error instead of other training data.
/// </summary>
public sealed class SubmittedTaskStoreTests : IDisposable
{
    private static readonly TaskSubsetSizes Sizes = new(4, 2, 2);
    private const long Seed = 7;
    private readonly TaskFolder folder = new();

    public void Dispose() => folder.Dispose();

    private string RunFolder => Path.Combine(folder.DataRoot, "runs", "r1");

    private SubmittedTaskStore Store() => new(RunFolder, Sizes, Seed);

    private string Source() => TaskFolder.WriteTask(Path.Combine(folder.DataRoot, "incoming"), "parity", 6);

    [Fact]
    public void The_accepted_task_is_the_one_the_source_folder_loads_and_the_copy_loads_it_again()
    {
        string source = Source();
        var fromSource = BenchmarkTaskLoader.Load(source, ["parity"], Sizes, Seed)[0];

        var accepted = Store().Accept("parity", source);

        Assert.Equal(Path.Combine(RunFolder, "submitted", accepted.Stored.Sha256), accepted.Stored.Folder);
        Assert.Matches("^[0-9a-f]{64}$", accepted.Stored.Sha256);
        AssertSameTask(fromSource, accepted.Task);
        AssertSameTask(fromSource, Store().Load("parity", accepted.Stored.Sha256));
    }

    [Fact]
    public void A_source_edited_or_deleted_after_acceptance_changes_nothing()
    {
        string source = Source();
        var accepted = Store().Accept("parity", source);

        TaskFolder.WriteTask(source, "parity", 9);   // other data at the same path
        AssertSameTask(accepted.Task, Store().Load("parity", accepted.Stored.Sha256));
        Directory.Delete(source, recursive: true);
        AssertSameTask(accepted.Task, Store().Load("parity", accepted.Stored.Sha256));
    }

    [Fact]
    public void A_changed_copy_is_refused_naming_the_task_the_files_and_both_hashes()
    {
        var accepted = Store().Accept("parity", Source());
        TaskFolder.WriteTask(accepted.Stored.Folder, "parity", 5, "dev");

        var error = Assert.Throws<TaskDataException>(() => Store().Load("parity", accepted.Stored.Sha256));
        Assert.Contains("submitted task 'parity'", error.Message);
        Assert.Contains("dev/parity.json", error.Message);
        Assert.Contains(accepted.Stored.Sha256, error.Message);
        Assert.Matches("SHA-256 [0-9a-f]{64}, but the journal recorded", error.Message);
    }

    [Fact]
    public void A_deleted_copy_is_a_clear_error()
    {
        var accepted = Store().Accept("parity", Source());
        Directory.Delete(accepted.Stored.Folder, recursive: true);

        var error = Assert.Throws<TaskDataException>(() => Store().Load("parity", accepted.Stored.Sha256));
        Assert.Contains("no files", error.Message);
    }

    [Fact]
    public void A_task_file_swapped_for_a_link_to_outside_before_the_copy_is_refused_and_nothing_outside_is_read()
    {
        string source = Source();
        TaskFolder.WriteTask(folder.Outside, "parity", 6, "train");
        string train = Path.Combine(source, "train", "parity.json");
        File.Delete(train);
        File.CreateSymbolicLink(train, Path.Combine(folder.Outside, "train", "parity.json"));

        var error = Assert.Throws<TaskDataException>(() => Store().Accept("parity", source));
        Assert.Contains("symbolic link", error.Message);
        Assert.False(Directory.Exists(Path.Combine(RunFolder, "submitted")) && Directory.EnumerateFiles(Path.Combine(RunFolder, "submitted"), "*", SearchOption.AllDirectories).Any());
    }

    [Fact]
    public async Task A_fifo_task_file_is_refused_without_blocking()
    {
        string source = Source();
        string dev = Path.Combine(source, "dev", "parity.json");
        File.Delete(dev);
        TaskFolder.MakeFifo(dev);

        var error = await Assert.ThrowsAsync<TaskDataException>(() => Task.Run(() => Store().Accept("parity", source)).WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Contains("FIFO", error.Message);
    }

    private static void AssertSameTask(ContinualTask expected, ContinualTask actual)
    {
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.Train, actual.Train);
        Assert.Equal(expected.Dev, actual.Dev);
        Assert.Equal(expected.Evaluation, actual.Evaluation);
        Assert.Equal(expected.EvaluatedOnDev, actual.EvaluatedOnDev);
    }
}

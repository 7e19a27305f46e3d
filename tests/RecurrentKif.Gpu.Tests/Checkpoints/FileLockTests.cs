using RecurrentKif.Gpu.Checkpoints;

namespace RecurrentKif.Gpu.Tests.Checkpoints;

/// <summary>
/// The single-writer lock is a real OS lock (flock: a second open file is refused, even in the same process), and
/// cleaning temporaries never removes one a live writer holds or has just written.
/// </summary>
public sealed class FileLockTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "rkif-lock-" + Guid.NewGuid().ToString("N"));

    public FileLockTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void A_second_open_of_a_locked_file_is_refused_until_the_first_is_closed()
    {
        string path = Path.Combine(folder, "rkif.lock");
        using (var first = FileLock.TryOpenLocked(path))
        {
            Assert.NotNull(first);
            Assert.Null(FileLock.TryOpenLocked(path));
        }
        using var again = FileLock.TryOpenLocked(path);
        Assert.NotNull(again);
    }

    [Fact]
    public void A_temporary_a_live_writer_holds_is_kept_even_when_old()
    {
        string temp = Path.Combine(folder, ".a.adapter.1.live.tmp");
        using var writer = FileLock.TryOpenLocked(temp);
        Assert.NotNull(writer);
        File.SetLastWriteTimeUtc(temp, DateTime.UtcNow - TimeSpan.FromHours(1));

        Assert.Equal(0, AtomicFile.CleanStaleTemporaries(folder));
        Assert.True(File.Exists(temp));
    }

    [Fact]
    public void A_fresh_unlocked_temporary_is_kept_and_an_old_unlocked_one_is_removed()
    {
        string fresh = Path.Combine(folder, ".b.adapter.1.fresh.tmp");
        string abandoned = Path.Combine(folder, ".c.adapter.1.dead.tmp");
        File.WriteAllText(fresh, "x");
        File.WriteAllText(abandoned, "x");
        File.SetLastWriteTimeUtc(abandoned, DateTime.UtcNow - AtomicFile.StaleAfter - TimeSpan.FromMinutes(1));

        Assert.Equal(1, AtomicFile.CleanStaleTemporaries(folder));
        Assert.True(File.Exists(fresh));      // its writer may be between close and rename
        Assert.False(File.Exists(abandoned));
    }
}

using RecurrentKif.Actors;

namespace RecurrentKif.Actors.Tests.Hosting;

/// <summary>One writer per data root: a second acquisition is refused at once and names the root and the holder.</summary>
public sealed class DataRootLockTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "rkif-root-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    [Fact]
    public void A_second_writer_is_refused_with_the_root_and_the_holders_pid_and_may_take_it_once_released()
    {
        using (var first = DataRootLock.Acquire(root))
        {
            var refused = Assert.Throws<DataRootInUseException>(() => DataRootLock.Acquire(root));
            Assert.Contains($"'{Path.GetFullPath(root)}'", refused.Message);
            Assert.Contains($"pid {Environment.ProcessId}", refused.Message);
            Assert.IsAssignableFrom<InvalidOperationException>(refused);   // the launcher's exit 2
        }
        using var second = DataRootLock.Acquire(root);
        Assert.Equal(Path.GetFullPath(root), second.Root);
    }
}

using System.Diagnostics;
using RecurrentKif.Gpu.Data;

namespace RecurrentKif.Gpu.Tests.Data;

/// <summary>Task files are read through one handle: plain files only, never blocking, cut off at the limit while reading.</summary>
public sealed class RegularFileTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "rkif-regular-" + Guid.NewGuid().ToString("N"));

    public RegularFileTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void A_plain_file_is_read_whole_within_the_limit_and_refused_over_it()
    {
        string path = Path.Combine(folder, "a.json");
        File.WriteAllBytes(path, new byte[200_000]);
        Assert.Equal(200_000, RegularFile.ReadAllBytes(path, 200_000).Length);
        var error = Assert.Throws<IOException>(() => RegularFile.ReadAllBytes(path, 199_999));
        Assert.Contains("over the limit of 199999 bytes", error.Message);
    }

    [Fact]
    public async Task A_fifo_is_refused_at_once()
    {
        string path = Path.Combine(folder, "pipe.json");
        using (var mkfifo = Process.Start("mkfifo", [path])) await mkfifo.WaitForExitAsync();
        var error = await Assert.ThrowsAsync<IOException>(() => Task.Run(() => RegularFile.ReadAllBytes(path, 1000)).WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Contains("a FIFO (named pipe), not a plain file", error.Message);
    }

    [Fact]
    public void A_device_is_refused_and_a_link_is_refused_only_when_links_are_not_followed()
    {
        Assert.Contains("a character device", Assert.Throws<IOException>(() => RegularFile.ReadAllBytes("/dev/zero", 1000)).Message);

        string target = Path.Combine(folder, "target.json");
        File.WriteAllText(target, "[]");
        string link = Path.Combine(folder, "link.json");
        File.CreateSymbolicLink(link, target);
        Assert.Equal(2, RegularFile.ReadAllBytes(link, 1000).Length);
        Assert.Contains("symbolic link", Assert.Throws<IOException>(() => RegularFile.ReadAllBytes(link, 1000, noFollow: true)).Message);

        // A folder along the way swapped for a link: the last component is plain, but the file is really elsewhere.
        Directory.CreateDirectory(Path.Combine(folder, "real"));
        File.WriteAllText(Path.Combine(folder, "real", "t.json"), "[]");
        Directory.CreateSymbolicLink(Path.Combine(folder, "swapped"), Path.Combine(folder, "real"));
        Assert.Contains("through a symbolic link", Assert.Throws<IOException>(() =>
            RegularFile.ReadAllBytes(Path.Combine(folder, "swapped", "t.json"), 1000, noFollow: true)).Message);
    }

    [Fact]
    public void A_missing_file_is_file_not_found()
    {
        Assert.Throws<FileNotFoundException>(() => RegularFile.ReadAllBytes(Path.Combine(folder, "none.json"), 1000));
    }
}

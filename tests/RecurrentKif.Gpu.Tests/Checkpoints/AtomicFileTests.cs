using RecurrentKif.Gpu.Checkpoints;

namespace RecurrentKif.Gpu.Tests.Checkpoints;

public sealed class AtomicFileTests
{
    [Fact]
    public void TheHashComputedWhileWritingIsTheHashOfTheFileOnDisk()
    {
        string folder = Directory.CreateTempSubdirectory("rkif-atomic").FullName;
        try
        {
            string path = Path.Combine(folder, "data.bin");
            var bytes = Enumerable.Range(0, 200_000).Select(i => (byte)(i * 31 % 251)).ToArray();
            string sha = AtomicFile.Write(path, stream =>
            {
                stream.Write(bytes, 0, 1000);      // array, span and single-byte writes all go through the hash
                stream.Write(bytes.AsSpan(1000));
                stream.WriteByte(7);
            });
            Assert.Equal(bytes.Length + 1, new FileInfo(path).Length);
            Assert.Equal(AtomicFile.Sha256Of(path), sha);
            Assert.Empty(Directory.EnumerateFiles(folder, ".*.tmp"));
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public void AFailedWriteLeavesTheOldFileAndNoTemporary()
    {
        string folder = Directory.CreateTempSubdirectory("rkif-atomic").FullName;
        try
        {
            string path = Path.Combine(folder, "data.bin");
            AtomicFile.Write(path, stream => stream.Write([1, 2, 3]));
            string before = AtomicFile.Sha256Of(path);

            Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
            {
                stream.Write([9, 9, 9, 9]);
                throw new IOException("No space left on device");   // what a full disk throws mid-write
            }));

            Assert.Equal(before, AtomicFile.Sha256Of(path));
            Assert.Equal(["data.bin"], Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName));
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public void TwoWritersOfOneFileNeverShareATemporary()
    {
        string folder = Directory.CreateTempSubdirectory("rkif-atomic").FullName;
        try
        {
            string path = Path.Combine(folder, "manifest.json");
            var temporaries = new List<string>();
            // While one write is open, a second one of the same file in the same process starts and finishes.
            AtomicFile.Write(path, outer =>
            {
                temporaries.AddRange(Directory.EnumerateFiles(folder, ".*.tmp"));
                AtomicFile.Write(path, inner => inner.Write([2]));
                outer.Write([1]);
            });
            Assert.Single(temporaries);
            Assert.Equal([1], File.ReadAllBytes(path));   // the later rename wins; neither write was torn
            Assert.Empty(Directory.EnumerateFiles(folder, ".*.tmp"));
        }
        finally { Directory.Delete(folder, recursive: true); }
    }
}

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
}

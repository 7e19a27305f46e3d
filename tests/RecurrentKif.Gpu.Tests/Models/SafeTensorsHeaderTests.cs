using System.Text;
using RecurrentKif.Gpu.Models;

namespace RecurrentKif.Gpu.Tests.Models;

/// <summary>
/// Malformed safetensors headers are refused with a ModelLoadException naming the file and the tensor, before any of
/// the header reaches libtorch: overflowing shapes, negative dimensions, and offsets that overlap, leave gaps or run
/// past the data.
/// </summary>
public sealed class SafeTensorsHeaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("rkif-safetensors-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A file with the given JSON header and <paramref name="dataBytes"/> zero bytes of data after it.</summary>
    private string FileWith(string header, int dataBytes)
    {
        string path = Path.Combine(_folder, "model.safetensors");
        byte[] json = Encoding.UTF8.GetBytes(header);
        using var stream = File.Create(path);
        stream.Write(BitConverter.GetBytes((long)json.Length));
        stream.Write(json);
        stream.Write(new byte[dataBytes]);
        return path;
    }

    [Theory]
    // 2^40 × 2^40 floats: the product wraps to 0 in unchecked 64-bit arithmetic, matching offsets [0, 0).
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[1099511627776,1099511627776],\"data_offsets\":[0,0]}}", 0, "overflows 64 bits")]
    // -1 × -4 × 4 bytes = 16: the old size check passed it, and libtorch was asked for a negative shape.
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1,-4],\"data_offsets\":[0,16]}}", 16, "negative dimension")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},\"v\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[8,24]}}", 24, "overlaps")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}", 16, "belong to no tensor")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 16, "holds 16 data bytes")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,32]}}", 16, "do not match")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[-16,0]}}", 16, "do not match")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16,32]}}", 16, "3 data offsets")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,1e30]}}", 16, "malformed header entry 'w'")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":\"4\",\"data_offsets\":[0,16]}}", 16, "malformed header entry 'w'")]
    [InlineData("{\"__metadata__\":{\"format\":{\"nested\":1}},\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 16, "malformed header entry '__metadata__'")]
    [InlineData("{\"__metadata__\":[1],\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 16, "malformed header entry '__metadata__'")]
    [InlineData("{\"w\":{\"dtype\":\"Q4\",\"shape\":[4],\"data_offsets\":[0,16]}}", 16, "unsupported dtype Q4")]
    public void AMalformedHeaderIsRefusedWithWhatAndWhere(string header, int dataBytes, string expected)
    {
        string path = FileWith(header, dataBytes);
        var e = Assert.Throws<ModelLoadException>(() => SafeTensorsFile.Open(path));
        Assert.Contains(expected, e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void AWellFormedFileWithAnEmptyTensorOpensAndLoads()
    {
        string path = FileWith(
            "{\"__metadata__\":{\"format\":\"pt\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]},\"e\":{\"dtype\":\"F32\",\"shape\":[0,3],\"data_offsets\":[16,16]},\"b\":{\"dtype\":\"BF16\",\"shape\":[4],\"data_offsets\":[16,24]}}",
            24);
        var file = SafeTensorsFile.Open(path);
        Assert.Equal(["a", "b", "e"], file.Tensors.Keys.Order());
        Assert.Equal("pt", file.Metadata["format"]);
        using var a = file.Load("a");
        Assert.Equal([2L, 2L], a.shape);
        using var e = file.Load("e");
        Assert.Equal(0, e.NumberOfElements);
    }
}

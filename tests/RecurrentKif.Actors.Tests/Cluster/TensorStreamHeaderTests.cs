using System.Text;
using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using RecurrentKif.Actors.Tensors;

namespace RecurrentKif.Actors.Tests.Cluster;

/// <summary>A peer's tensor stream is judged by its header before any data is taken, and cut off past what it announced.</summary>
public sealed class TensorStreamHeaderTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private Task<TensorPayload> Read(string header, params byte[][] chunks) =>
        TensorStream.ReadAsync(Source.From(new[] { Encoding.UTF8.GetBytes(header) }.Concat(chunks)), Sys.Materializer(), Timeout, maxBytes: 1024);

    [Fact]
    public async Task A_well_formed_stream_is_read()
    {
        var payload = await Read("""[{"Name":"a","DType":"Float32","Shape":[2],"Bytes":8}]""", [1, 2, 3, 4], [5, 6, 7, 8]);
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8], payload.Blocks[0].Bytes.ToArray());
    }

    [Theory]
    [InlineData("""[{"Name":"a","DType":"Float32","Shape":[-1],"Bytes":4}]""", "negative dimension")]
    [InlineData("""[{"Name":"a","DType":"Float32","Shape":[4294967296,4294967296,4294967296],"Bytes":4}]""", "overflows")]
    [InlineData("""[{"Name":"a","DType":"Float32","Shape":[2],"Bytes":4}]""", "announces 4 bytes")]
    [InlineData("""[{"Name":"a","DType":"Float32","Shape":[1000],"Bytes":4000}]""", "over 1024 bytes")]
    [InlineData("""[{"Name":"a","DType":"Nonsense","Shape":[1],"Bytes":4}]""", "unsupported dtype")]
    [InlineData("""not json""", "not valid JSON")]
    public async Task A_bad_header_is_refused_before_any_data(string header, string problem)
    {
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Read(header, new byte[4]));
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public async Task More_bytes_than_announced_are_refused()
    {
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Read("""[{"Name":"a","DType":"Float32","Shape":[1],"Bytes":4}]""", new byte[4], new byte[4]));
        Assert.Contains("more than the 4 bytes", error.Message);
    }
}

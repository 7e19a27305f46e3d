using System.Text.Json;
using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using TorchSharp;
using static TorchSharp.torch;

namespace RecurrentKif.Actors.Tensors;

/// <summary>
/// Tensors as a stream of bytes, for moving them between nodes (docs/architecture.md §8: never one remote message; Akka.Remote
/// frames are 128 KB). The first element is a JSON header (name, dtype, shape, byte length of each tensor), then the
/// raw little-endian bytes in chunks. Offered to another node as a StreamRefs <c>ISourceRef</c>; the receiver gets the
/// very same bits.
/// </summary>
public static class TensorStream
{
    public const int ChunkBytes = 64 * 1024;

    private sealed record Entry(string Name, string DType, long[] Shape, long Bytes);

    /// <summary>A copy of the tensors' bytes (taken now, so the caller may change or free them) as a stream source.</summary>
    public static Source<byte[], NotUsed> From(IReadOnlyList<(string Name, Tensor Tensor)> tensors)
    {
        var entries = new List<Entry>(tensors.Count);
        var payloads = new List<byte[]>(tensors.Count);
        foreach (var (name, tensor) in tensors)
        {
            using var cpu = tensor.detach().cpu().contiguous();
            byte[] bytes = cpu.bytes.ToArray();
            entries.Add(new Entry(name, cpu.dtype.ToString(), cpu.shape, bytes.LongLength));
            payloads.Add(bytes);
        }
        byte[] header = JsonSerializer.SerializeToUtf8Bytes(entries);
        return Source.Single(header).Concat(Source.From(Chunks(payloads)));
    }

    // byte[] elements, because Akka.Remote sends byte arrays as they are (its "bytes" serializer), with no encoding.
    private static IEnumerable<byte[]> Chunks(List<byte[]> payloads)
    {
        foreach (var bytes in payloads)
            for (int offset = 0; offset < bytes.Length; offset += ChunkBytes)
                yield return bytes.AsSpan(offset, Math.Min(ChunkBytes, bytes.Length - offset)).ToArray();
    }

    /// <summary>Reads a whole stream back into named byte blocks (no libtorch: safe on any thread).</summary>
    public static async Task<TensorPayload> ReadAsync(Source<byte[], NotUsed> source, IMaterializer materializer, TimeSpan timeout)
    {
        var elements = await source.RunWith(Sink.Seq<byte[]>(), materializer).WaitAsync(timeout);
        if (elements.Count == 0) throw new InvalidDataException("tensor stream is empty (no header)");
        var entries = JsonSerializer.Deserialize<List<Entry>>(elements[0])
                      ?? throw new InvalidDataException("tensor stream header is empty");
        long total = entries.Sum(e => e.Bytes);
        var data = new byte[total];
        long filled = 0;
        foreach (var chunk in elements.Skip(1))
        {
            if (filled + chunk.Length > total) throw new InvalidDataException($"tensor stream carries more than the {total} bytes its header announces");
            chunk.CopyTo(data, filled);
            filled += chunk.Length;
        }
        if (filled != total) throw new InvalidDataException($"tensor stream ended after {filled} of {total} bytes");
        var blocks = new List<TensorPayload.Block>(entries.Count);
        long offset = 0;
        foreach (var e in entries)
        {
            blocks.Add(new TensorPayload.Block(e.Name, Enum.Parse<ScalarType>(e.DType), e.Shape, new ArraySegment<byte>(data, (int)offset, (int)e.Bytes)));
            offset += e.Bytes;
        }
        return new TensorPayload(blocks);
    }
}

/// <summary>Tensors received from a stream, still as bytes; <see cref="ToTensors"/> makes them (on the compute thread).</summary>
public sealed record TensorPayload(IReadOnlyList<TensorPayload.Block> Blocks)
{
    public sealed record Block(string Name, ScalarType DType, long[] Shape, ArraySegment<byte> Bytes);

    public IReadOnlyList<Tensor> ToTensors(Device device) => Blocks.Select(b =>
    {
        var t = empty(b.Shape, b.DType);
        if (b.Bytes.Count > 0) t.bytes = b.Bytes;
        return device.type == DeviceType.CPU ? t : t.to(device);
    }).ToList();

    public IReadOnlyList<Tensor> ToTensors(string prefix, Device device)
    {
        var selected = new TensorPayload(Blocks.Where(b => b.Name.StartsWith(prefix + ".", StringComparison.Ordinal)).ToList());
        return selected.ToTensors(device);
    }
}

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

    /// <summary>The most bytes one stream may announce: one array holds them all (and the blocks index it with int).</summary>
    public const long MaxStreamBytes = int.MaxValue;

    /// <summary>
    /// Reads a stream back into named byte blocks (no libtorch: safe on any thread). The header is read and checked
    /// first (known dtypes, non-negative shapes, byte lengths that match them, a total within <paramref name="maxBytes"/>),
    /// before any tensor byte is accepted; the bytes then go straight into one array of the announced size, and a
    /// peer that sends more than announced is cut off at once instead of being buffered.
    /// </summary>
    public static async Task<TensorPayload> ReadAsync(Source<byte[], NotUsed> source, IMaterializer materializer, TimeSpan timeout, long maxBytes = MaxStreamBytes)
    {
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        var (prefix, tail) = await source.PrefixAndTail(1).RunWith(Sink.First<(System.Collections.Immutable.IImmutableList<byte[]>, Source<byte[], NotUsed>)>(), materializer)
            .WaitAsync(timeout);
        if (prefix.Count == 0) throw new InvalidDataException("tensor stream is empty (no header)");
        var entries = Header(prefix[0], maxBytes);
        long total = entries.Sum(e => e.Bytes);
        var data = new byte[total];
        long filled = 0;
        var remaining = timeout - deadline.Elapsed;
        await tail.RunForeach(chunk =>
        {
            if (filled + chunk.Length > total) throw new InvalidDataException($"tensor stream carries more than the {total} bytes its header announces");
            chunk.CopyTo(data, filled);
            filled += chunk.Length;
        }, materializer).WaitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
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

    private static List<Entry> Header(byte[] json, long maxBytes)
    {
        List<Entry> entries;
        try { entries = JsonSerializer.Deserialize<List<Entry>>(json) ?? throw new InvalidDataException("tensor stream header is empty"); }
        catch (JsonException e) { throw new InvalidDataException($"tensor stream header is not valid JSON: {e.Message}", e); }
        long total = 0;
        foreach (var e in entries)
        {
            if (e is null || e.Name is null || e.Shape is null) throw new InvalidDataException("tensor stream header has an incomplete entry");
            if (!Enum.TryParse<ScalarType>(e.DType, out var dtype) || ElementBytes(dtype) is not { } size)
                throw new InvalidDataException($"tensor stream header: tensor '{e.Name}' has an unsupported dtype '{e.DType}'");
            if (e.Shape.Any(d => d < 0)) throw new InvalidDataException($"tensor stream header: tensor '{e.Name}' has a negative dimension");
            long expected;
            try { expected = checked(e.Shape.Aggregate(1L, (a, b) => checked(a * b)) * size); }
            catch (OverflowException) { throw new InvalidDataException($"tensor stream header: tensor '{e.Name}' has a shape whose size overflows"); }
            if (e.Bytes != expected) throw new InvalidDataException($"tensor stream header: tensor '{e.Name}' announces {e.Bytes} bytes, its shape and dtype make {expected}");
            total += expected;
            if (total > maxBytes) throw new InvalidDataException($"tensor stream header announces over {maxBytes} bytes");
        }
        return entries;
    }

    private static int? ElementBytes(ScalarType dtype) => dtype switch
    {
        ScalarType.Float64 or ScalarType.Int64 => 8,
        ScalarType.Float32 or ScalarType.Int32 => 4,
        ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Int16 => 2,
        ScalarType.Int8 or ScalarType.Byte or ScalarType.Bool => 1,
        _ => null,
    };
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

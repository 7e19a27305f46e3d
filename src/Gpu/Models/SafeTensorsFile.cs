using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Models;

/// <summary>One tensor's entry in a safetensors header.</summary>
public sealed record SafeTensorInfo(string Name, string DType, long[] Shape, long Begin, long End);

/// <summary>A tensor to be written: its name, the dtype it is stored in and its shape.</summary>
public sealed record SafeTensorEntry(string Name, ScalarType DType, long[] Shape);

/// <summary>
/// Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header
/// {name: {dtype, shape, data_offsets}}, then the raw little-endian bytes. Tensors are read one at a time
/// with a seek, so a multi-GB shard never has to fit in managed memory at once.
/// </summary>
public sealed class SafeTensorsFile
{
    private const long MaxHeaderBytes = 100L * 1024 * 1024;
    private readonly long _dataStart;
    // The whole file, when it was read (and verified) in one go: tensors come from these bytes, not from the path again.
    private readonly byte[]? _content;

    public string Path { get; }
    public IReadOnlyDictionary<string, SafeTensorInfo> Tensors { get; }
    public IReadOnlyDictionary<string, string> Metadata { get; }

    private SafeTensorsFile(string path, long dataStart, Dictionary<string, SafeTensorInfo> tensors, Dictionary<string, string> metadata, byte[]? content)
    {
        _content = content;
        Path = path;
        _dataStart = dataStart;
        Tensors = tensors;
        Metadata = metadata;
    }

    public static SafeTensorsFile Open(string path)
    {
        if (!File.Exists(path)) throw new ModelLoadException($"safetensors file not found: {path}");
        using var stream = File.OpenRead(path);
        return Parse(path, stream, content: null);
    }

    /// <summary>
    /// A file already read whole (e.g. a checkpoint whose SHA-256 was checked on exactly these bytes): the header and
    /// every tensor come from <paramref name="content"/>, so what was verified is what is loaded.
    /// </summary>
    public static SafeTensorsFile FromBytes(string path, byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var stream = new MemoryStream(content, writable: false);
        return Parse(path, stream, content);
    }

    private static SafeTensorsFile Parse(string path, Stream stream, byte[]? content)
    {
        Span<byte> lengthBytes = stackalloc byte[8];
        if (stream.Read(lengthBytes) != 8) throw new ModelLoadException($"{path}: too short to be a safetensors file");
        long headerLength = BitConverter.ToInt64(lengthBytes);
        if (headerLength <= 0 || headerLength > MaxHeaderBytes || 8 + headerLength > stream.Length)
            throw new ModelLoadException($"{path}: corrupt safetensors header length {headerLength} (file is {stream.Length} bytes)");
        var header = new byte[headerLength];
        stream.ReadExactly(header);
        JsonObject root;
        try { root = JsonNode.Parse(header)?.AsObject() ?? throw new JsonException("header is null"); }
        catch (JsonException e) { throw new ModelLoadException($"{path}: safetensors header is not valid JSON: {e.Message}"); }

        long dataStart = 8 + headerLength, dataLength = stream.Length - dataStart;
        var tensors = new Dictionary<string, SafeTensorInfo>(StringComparer.Ordinal);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, node) in root)
        {
            try
            {
                if (name == "__metadata__")
                {
                    // The format's metadata is a string → string map; anything else is a malformed header, not a crash.
                    foreach (var (key, value) in node!.AsObject()) metadata[key] = value!.GetValue<string>();
                    continue;
                }
                tensors[name] = Entry(node!.AsObject(), name, path, dataLength);
            }
            catch (Exception e) when (e is NullReferenceException or InvalidOperationException or FormatException or ArgumentException)
            {
                throw new ModelLoadException($"{path}: malformed header entry '{name}': {e.Message}");
            }
        }
        CheckTheDataIsTiledExactly(tensors.Values, dataLength, path);
        return new SafeTensorsFile(path, dataStart, tensors, metadata, content);
    }

    /// <summary>
    /// One tensor's entry, checked before any of it reaches libtorch: every dimension ≥ 0, the byte size computed with
    /// checked arithmetic (a shape whose product overflows would otherwise wrap to a small number and pass), and
    /// offsets inside the data that span exactly that size.
    /// </summary>
    private static SafeTensorInfo Entry(JsonObject entry, string name, string path, long dataLength)
    {
        string dtype = entry["dtype"]!.GetValue<string>();
        long[] shape = entry["shape"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray();
        var offsets = entry["data_offsets"]!.AsArray();
        if (offsets.Count != 2) throw new ModelLoadException($"{path}: tensor '{name}' has {offsets.Count} data offsets, not 2");
        long begin = offsets[0]!.GetValue<long>(), end = offsets[1]!.GetValue<long>();
        if (shape.Any(d => d < 0))
            throw new ModelLoadException($"{path}: tensor '{name}' has a negative dimension in its shape [{string.Join(",", shape)}]");
        long expected;
        try
        {
            expected = checked(shape.Aggregate(1L, (a, b) => checked(a * b)) * BytesPerElement(dtype, path, name));
        }
        catch (OverflowException)
        {
            throw new ModelLoadException($"{path}: tensor '{name}' has a shape [{string.Join(",", shape)}] whose size overflows 64 bits");
        }
        if (begin < 0 || end < begin || end > dataLength || end - begin != expected)
            throw new ModelLoadException(
                $"{path}: tensor '{name}' has offsets [{begin},{end}) that do not match its shape/dtype ({expected} bytes) or the data size ({dataLength} bytes)");
        return new SafeTensorInfo(name, dtype, shape, begin, end);
    }

    /// <summary>
    /// As the reference reader requires: the tensors, sorted by offset, follow one another with no gap or overlap and
    /// end exactly at the file's end. Overlapping tensors would alias each other's bytes; a gap or a tail is data no
    /// tensor accounts for (a truncated or spliced file).
    /// </summary>
    private static void CheckTheDataIsTiledExactly(IEnumerable<SafeTensorInfo> tensors, long dataLength, string path)
    {
        long position = 0;
        foreach (var tensor in tensors.OrderBy(t => t.Begin).ThenBy(t => t.End))
        {
            if (tensor.Begin != position)
                throw new ModelLoadException(tensor.Begin < position
                    ? $"{path}: tensor '{tensor.Name}' at [{tensor.Begin},{tensor.End}) overlaps the tensor before it (which ends at {position})"
                    : $"{path}: bytes [{position},{tensor.Begin}) of the data belong to no tensor");
            position = tensor.End;
        }
        if (position != dataLength)
            throw new ModelLoadException($"{path}: the tensors end at byte {position} of the data, but the file holds {dataLength} data bytes");
    }

    /// <summary>Loads one tensor onto the CPU, converted to <paramref name="dtype"/> when given.</summary>
    public Tensor Load(string name, ScalarType? dtype = null)
    {
        if (!Tensors.TryGetValue(name, out var info)) throw new ModelLoadException($"{Path}: no tensor named '{name}'");
        var bytes = new byte[info.End - info.Begin];
        if (_content is not null) Array.Copy(_content, _dataStart + info.Begin, bytes, 0, bytes.LongLength);
        else using (var stream = File.OpenRead(Path))
        {
            stream.Seek(_dataStart + info.Begin, SeekOrigin.Begin);
            stream.ReadExactly(bytes);
        }
        var raw = empty(info.Shape, ToScalarType(info.DType, Path, name));
        if (bytes.Length > 0) raw.bytes = bytes;
        if (dtype is null || dtype == raw.dtype) return raw;
        var converted = raw.to(dtype.Value);
        raw.Dispose();
        return converted;
    }

    /// <summary>Writes tensors (any device, any of F32/F16/BF16/I64/I32) in name order, with optional metadata.</summary>
    public static void Save(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        using var stream = File.Create(path);
        Save(stream, tensors, metadata);
    }

    public static void Save(Stream stream, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var ordered = tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        // CPU, contiguous views of the tensors (no copy when they already are), written straight from their memory.
        var payloads = new List<Tensor>(ordered.Count);
        try
        {
            foreach (var (_, tensor) in ordered) payloads.Add(tensor.detach().cpu().contiguous());
            WriteHeader(stream, ordered.Select((kv, i) => new SafeTensorEntry(kv.Key, payloads[i].dtype, payloads[i].shape)), metadata);
            foreach (var cpu in payloads)
                if (cpu.NumberOfElements > 0) stream.Write(cpu.bytes);
        }
        finally
        {
            foreach (var cpu in payloads) cpu.Dispose();
        }
    }

    /// <summary>
    /// Writes tensors one at a time, so only one is ever in memory (a merged multi-GB model): the header comes from
    /// <paramref name="entries"/>, then <paramref name="produce"/> is called for each entry in name order and what it
    /// returns (which must have the entry's dtype and shape) is written and disposed.
    /// </summary>
    public static void SaveStreamed(string path, IReadOnlyList<SafeTensorEntry> entries, Func<SafeTensorEntry, Tensor> produce,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        var ordered = entries.OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
        using var stream = File.Create(path);
        WriteHeader(stream, ordered, metadata);
        foreach (var entry in ordered)
        {
            using var produced = produce(entry);
            using var cpu = produced.detach().cpu().contiguous();
            if (cpu.dtype != entry.DType || !cpu.shape.SequenceEqual(entry.Shape))
                throw new InvalidOperationException(
                    $"{path}: '{entry.Name}' was announced as {entry.DType} [{string.Join(",", entry.Shape)}] but is {cpu.dtype} [{string.Join(",", cpu.shape)}]");
            if (cpu.NumberOfElements > 0) stream.Write(cpu.bytes);
        }
    }

    /// <summary>The length prefix and the JSON header for tensors written in the given order right after it.</summary>
    private static void WriteHeader(Stream stream, IEnumerable<SafeTensorEntry> ordered, IReadOnlyDictionary<string, string>? metadata)
    {
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
        {
            var meta = new JsonObject();
            foreach (var (key, value) in metadata) meta[key] = value;
            header["__metadata__"] = meta;
        }
        long offset = 0;
        foreach (var entry in ordered)
        {
            string dtype = ToSafeTensorsDType(entry.DType);
            long length = entry.Shape.Aggregate(1L, (a, b) => a * b) * BytesPerElement(dtype, "(writing)", entry.Name);
            header[entry.Name] = new JsonObject
            {
                ["dtype"] = dtype,
                ["shape"] = new JsonArray(entry.Shape.Select(d => (JsonNode)JsonValue.Create(d)).ToArray()),
                ["data_offsets"] = new JsonArray(JsonValue.Create(offset), JsonValue.Create(offset + length)),
            };
            offset += length;
        }
        byte[] headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString());
        // Pad the header with spaces to an 8-byte boundary, as the reference writer does, so data is aligned.
        int padded = (headerBytes.Length + 7) / 8 * 8;
        stream.Write(BitConverter.GetBytes((long)padded));
        stream.Write(headerBytes);
        for (int i = headerBytes.Length; i < padded; i++) stream.WriteByte((byte)' ');
    }

    /// <summary>The torch dtype of a safetensors dtype name (F32, BF16, …).</summary>
    public static ScalarType ScalarTypeOf(SafeTensorInfo info, string path) => ToScalarType(info.DType, path, info.Name);

    private static int BytesPerElement(string dtype, string path, string name) => dtype switch
    {
        "F64" or "I64" => 8,
        "F32" or "I32" => 4,
        "F16" or "BF16" or "I16" => 2,
        "U8" or "I8" or "BOOL" => 1,
        _ => throw new ModelLoadException($"{path}: tensor '{name}' has unsupported dtype {dtype}"),
    };

    private static ScalarType ToScalarType(string dtype, string path, string name) => dtype switch
    {
        "F64" => ScalarType.Float64,
        "F32" => ScalarType.Float32,
        "F16" => ScalarType.Float16,
        "BF16" => ScalarType.BFloat16,
        "I64" => ScalarType.Int64,
        "I32" => ScalarType.Int32,
        "I16" => ScalarType.Int16,
        "I8" => ScalarType.Int8,
        "U8" => ScalarType.Byte,
        "BOOL" => ScalarType.Bool,
        _ => throw new ModelLoadException($"{path}: tensor '{name}' has unsupported dtype {dtype}"),
    };

    private static string ToSafeTensorsDType(ScalarType type) => type switch
    {
        ScalarType.Float64 => "F64",
        ScalarType.Float32 => "F32",
        ScalarType.Float16 => "F16",
        ScalarType.BFloat16 => "BF16",
        ScalarType.Int64 => "I64",
        ScalarType.Int32 => "I32",
        ScalarType.Int16 => "I16",
        ScalarType.Int8 => "I8",
        ScalarType.Byte => "U8",
        ScalarType.Bool => "BOOL",
        _ => throw new NotSupportedException($"safetensors cannot store {type}"),
    };
}

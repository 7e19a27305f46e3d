using System.Buffers.Binary;

namespace RecurrentKif.Gpu.Tokenization;

/// <summary>
/// The pieces and scores of a llama2.c <c>tokenizer.bin</c>, exactly as stored: pieces are raw UTF-8 bytes
/// (a space is ' ', not SentencePiece's '▁'), ids are positions in the file.
/// </summary>
public sealed class Llama2cVocabulary
{
    /// <summary>llama2.c hard-codes these ids; byte b falls back to id b + <see cref="FirstByteId"/>.</summary>
    public const int UnkId = 0, BosId = 1, EosId = 2, FirstByteId = 3, ByteCount = 256;

    /// <summary>First id that is an ordinary (mergeable) piece rather than a special or byte piece.</summary>
    public const int FirstNormalId = FirstByteId + ByteCount;

    private readonly byte[][] _pieces;
    private readonly float[] _scores;

    private Llama2cVocabulary(byte[][] pieces, float[] scores, int maxTokenLength)
    {
        _pieces = pieces;
        _scores = scores;
        MaxTokenLength = maxTokenLength;
    }

    public int Count => _pieces.Length;

    /// <summary>The header's max_token_len; llama2.c sizes its merge buffer with it.</summary>
    public int MaxTokenLength { get; }

    public ReadOnlySpan<byte> Piece(int id) => _pieces[id];

    public float Score(int id) => _scores[id];

    /// <summary>
    /// Reads <paramref name="path"/>. With <paramref name="vocabSize"/> null the file is read to its end;
    /// otherwise exactly that many pieces must be present (extra bytes after them are an error too,
    /// because they mean the caller's vocab size and the file disagree).
    /// </summary>
    public static Llama2cVocabulary Load(string path, int? vocabSize = null)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"llama2.c tokenizer file not found: {path}", path);
        byte[] bytes = File.ReadAllBytes(path);
        return Parse(bytes, path, vocabSize);
    }

    /// <summary>Parses the file contents; <paramref name="sourceName"/> only names the source in errors.</summary>
    public static Llama2cVocabulary Parse(ReadOnlySpan<byte> bytes, string sourceName, int? vocabSize = null)
    {
        if (vocabSize is < FirstNormalId)
            throw new ArgumentOutOfRangeException(nameof(vocabSize), vocabSize,
                $"a llama2.c vocabulary has at least {FirstNormalId} pieces (3 specials + 256 bytes)");
        if (bytes.Length < 4)
            throw Corrupt(sourceName, $"the file is {bytes.Length} bytes long, too short for the int32 max_token_len header");
        int maxTokenLength = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        if (maxTokenLength <= 0)
            throw Corrupt(sourceName, $"max_token_len is {maxTokenLength}; it must be positive");

        var pieces = new List<byte[]>(vocabSize ?? 1024);
        var scores = new List<float>(vocabSize ?? 1024);
        int offset = 4;
        while (vocabSize is null ? offset < bytes.Length : pieces.Count < vocabSize)
        {
            int id = pieces.Count;
            if (bytes.Length - offset < 8)
                throw Corrupt(sourceName,
                    $"truncated at piece {id} (offset {offset}): expected a float32 score and an int32 length" +
                    (vocabSize is null ? "" : $"; {vocabSize} pieces were expected"));
            float score = BinaryPrimitives.ReadSingleLittleEndian(bytes[offset..]);
            int length = BinaryPrimitives.ReadInt32LittleEndian(bytes[(offset + 4)..]);
            offset += 8;
            if (length <= 0 || length > bytes.Length - offset)
                throw Corrupt(sourceName,
                    $"piece {id} (offset {offset - 4}) claims {length} bytes but {bytes.Length - offset} remain");
            pieces.Add(bytes.Slice(offset, length).ToArray());
            scores.Add(score);
            offset += length;
        }
        if (offset != bytes.Length)
            throw Corrupt(sourceName,
                $"{bytes.Length - offset} bytes remain after the {vocabSize} expected pieces; is the vocab size right?");

        var vocabulary = new Llama2cVocabulary(pieces.ToArray(), scores.ToArray(), maxTokenLength);
        vocabulary.CheckFixedLayout(sourceName);
        return vocabulary;
    }

    /// <summary>
    /// The encoder's byte fallback and the decoder rely on llama2.c's fixed id layout; a file that breaks it
    /// would silently produce wrong ids, so it is rejected here.
    /// </summary>
    private void CheckFixedLayout(string sourceName)
    {
        if (Count < FirstNormalId)
            throw Corrupt(sourceName, $"only {Count} pieces; at least {FirstNormalId} (3 specials + 256 bytes) are required");
        for (int b = 0; b < ByteCount; b++)
        {
            if (ByteValueOf(FirstByteId + b) != b)
                throw Corrupt(sourceName,
                    $"piece {FirstByteId + b} is '{System.Text.Encoding.UTF8.GetString(_pieces[FirstByteId + b])}', expected <0x{b:X2}> (byte fallback layout)");
        }
    }

    /// <summary>The byte a piece of the form <c>&lt;0xXX&gt;</c> stands for, or -1 for any other piece.</summary>
    public int ByteValueOf(int id)
    {
        ReadOnlySpan<byte> piece = _pieces[id];
        if (piece.Length != 6 || piece[0] != '<' || piece[1] != '0' || piece[2] != 'x' || piece[5] != '>') return -1;
        int high = HexDigit(piece[3]), low = HexDigit(piece[4]);
        return high < 0 || low < 0 ? -1 : high * 16 + low;
    }

    private static int HexDigit(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        _ => -1,
    };

    private static InvalidDataException Corrupt(string sourceName, string what) =>
        new($"Corrupt llama2.c tokenizer file {sourceName}: {what}");
}

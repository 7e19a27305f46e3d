using System.Text.Json;
using System.Text.Json.Nodes;
using RecurrentKif.Gpu.Tokenization.HuggingFace;

namespace RecurrentKif.Gpu.Tests.Tokenization.HuggingFace;

/// <summary>
/// A small byte-level BPE tokenizer.json written the way Hugging Face's tokenizers serializes one: the 256 byte
/// pieces (ids 0–255 in byte order), then one piece per merge, then the added tokens. Each property is one
/// setting of the file, so a test can change just that.
/// </summary>
public sealed record SmallTokenizerJson
{
    /// <summary>Llama-3's split pattern.</summary>
    public const string Llama3Split = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>Merges as plain text pairs; a space in a piece is written as the alphabet's 'Ġ' in the file.</summary>
    public IReadOnlyList<(string Left, string Right)> Merges { get; init; } = [];
    /// <summary>Extra whole pieces that no merge makes (for ignore_merges).</summary>
    public IReadOnlyList<string> ExtraPieces { get; init; } = [];
    public bool IgnoreMerges { get; init; }
    public IReadOnlyList<AddedToken> AddedTokens { get; init; } = [];
    /// <summary>The normalizer object, or null for none.</summary>
    public JsonNode? Normalizer { get; init; }
    /// <summary>The Split pattern before the ByteLevel step, or null for ByteLevel alone.</summary>
    public string? SplitPattern { get; init; } = Llama3Split;
    public bool AddPrefixSpace { get; init; }
    public bool ByteLevelUseRegex { get; init; }
    /// <summary>Replaces the model object's "type".</summary>
    public string ModelType { get; init; } = "BPE";

    /// <summary>The id the file gives a piece written as plain text ("ab", " the").</summary>
    public int IdOf(string plainPiece) =>
        Vocabulary().TryGetValue(ByteLevelAlphabet.Spell(plainPiece), out int id) ? id : throw new KeyNotFoundException(plainPiece);

    public int FirstAddedId => 256 + Merges.Count + ExtraPieces.Count;

    /// <summary>An added token with the next free id.</summary>
    public SmallTokenizerJson WithAddedToken(string content, bool special = true, bool normalized = false, bool lstrip = false, bool rstrip = false) =>
        this with { AddedTokens = [.. AddedTokens, new AddedToken(FirstAddedId + AddedTokens.Count, content, special, normalized, lstrip, rstrip)] };

    public Dictionary<string, int> Vocabulary()
    {
        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int b = 0; b < 256; b++) vocabulary[ByteLevelAlphabet.CharOf((byte)b).ToString()] = b;
        foreach (var (left, right) in Merges) vocabulary.TryAdd(ByteLevelAlphabet.Spell(left + right), vocabulary.Count);
        foreach (string piece in ExtraPieces) vocabulary.TryAdd(ByteLevelAlphabet.Spell(piece), vocabulary.Count);
        return vocabulary;
    }

    public JsonObject ToJson()
    {
        var vocab = new JsonObject();
        foreach (var (piece, id) in Vocabulary()) vocab[piece] = id;
        var byteLevel = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = AddPrefixSpace, ["trim_offsets"] = false, ["use_regex"] = ByteLevelUseRegex };
        JsonNode preTokenizer = SplitPattern is null
            ? byteLevel
            : new JsonObject
            {
                ["type"] = "Sequence",
                ["pretokenizers"] = new JsonArray(
                    new JsonObject { ["type"] = "Split", ["pattern"] = new JsonObject { ["Regex"] = SplitPattern }, ["behavior"] = "Isolated", ["invert"] = false },
                    byteLevel),
            };
        var added = new JsonArray();
        foreach (AddedToken token in AddedTokens)
            added.Add(new JsonObject
            {
                ["id"] = token.Id, ["content"] = token.Content, ["single_word"] = false, ["lstrip"] = token.LeftStrip,
                ["rstrip"] = token.RightStrip, ["normalized"] = token.Normalized, ["special"] = token.Special,
            });
        var merges = new JsonArray();
        foreach (var (left, right) in Merges) merges.Add(new JsonArray(ByteLevelAlphabet.Spell(left), ByteLevelAlphabet.Spell(right)));
        return new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = added,
            ["normalizer"] = Normalizer?.DeepClone(),
            ["pre_tokenizer"] = preTokenizer,
            ["post_processor"] = null,
            ["decoder"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = true, ["trim_offsets"] = true, ["use_regex"] = true },
            ["model"] = new JsonObject
            {
                ["type"] = ModelType, ["dropout"] = null, ["unk_token"] = null, ["continuing_subword_prefix"] = null,
                ["end_of_word_suffix"] = null, ["fuse_unk"] = false, ["byte_fallback"] = false, ["ignore_merges"] = IgnoreMerges,
                ["vocab"] = vocab, ["merges"] = merges,
            },
        };
    }

    /// <summary>Writes tokenizer.json and a tokenizer_config.json naming <paramref name="eosToken"/> (default: the first added token, else byte '!').</summary>
    public string Write(string folder, string? eosToken = null, string? bosToken = null)
    {
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, "tokenizer.json");
        File.WriteAllText(path, ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        var config = new JsonObject
        {
            ["bos_token"] = bosToken,
            ["eos_token"] = eosToken ?? (AddedTokens.Count > 0 ? AddedTokens[0].Content : "!"),
            ["tokenizer_class"] = "PreTrainedTokenizerFast",
        };
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), config.ToJsonString());
        return path;
    }
}

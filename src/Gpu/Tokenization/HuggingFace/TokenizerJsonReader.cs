using System.Text.Json;
using RecurrentKif.Gpu.Models;

namespace RecurrentKif.Gpu.Tokenization.HuggingFace;

/// <summary>
/// Reads a Hugging Face tokenizer.json of the byte-level BPE kind (Llama-3, Qwen2, GPT-2 style) into a
/// <see cref="TokenizerJsonDefinition"/>. Anything it does not implement exactly (another model type such as Unigram
/// or WordPiece, another normalizer or pre-tokenizer, BPE dropout, word suffixes) is refused with the file and the
/// setting named, rather than read approximately: a tokenizer that is slightly off trains a model on the wrong ids
/// without any error. docs/tokenizers.md lists what is supported.
/// </summary>
public static class TokenizerJsonReader
{
    /// <summary>GPT-2's split pattern, which the ByteLevel pre-tokenizer applies itself when use_regex is true.</summary>
    public const string Gpt2SplitPattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    public static TokenizerJsonDefinition Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"tokenizer.json not found: {path}", path);
        try
        {
            using var stream = File.OpenRead(path);
            using JsonDocument document = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 256 });
            return Read(document.RootElement, path);
        }
        catch (JsonException e)
        {
            throw new ModelLoadException($"{path}: not valid JSON ({e.Message})", e);
        }
        catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException or FormatException)
        {
            throw new ModelLoadException($"{path}: a tokenizer.json value has the wrong type or is missing ({e.Message})", e);
        }
    }

    public static TokenizerJsonDefinition Read(JsonElement root, string source)
    {
        JsonElement model = Required(root, "model", source);
        string modelType = model.TryGetProperty("type", out var typeElement) ? typeElement.GetString() ?? "" : "";
        // Files written before tokenizers 0.10 have no "type"; a BPE model is the one with merges.
        if (modelType.Length == 0 && model.TryGetProperty("merges", out _)) modelType = "BPE";
        if (modelType != "BPE")
            throw Unsupported(source, $"model type '{(modelType.Length == 0 ? "(none)" : modelType)}'",
                "only byte-level BPE (Llama-3, Qwen2) is read from tokenizer.json; a SentencePiece model (Unigram or BPE) loads from tokenizer.model or spiece.model");
        CheckBpeOptions(model, source);

        var (splitPatterns, addPrefixSpace, gpt2Split) = ReadPreTokenizer(root, source);
        bool nfc = ReadNormalizer(root, source);
        CheckDecoder(root, source);

        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (JsonProperty entry in Required(model, "vocab", source).EnumerateObject()) vocabulary[entry.Name] = entry.Value.GetInt32();
        var merges = new List<BpeMergeRule>();
        if (model.TryGetProperty("merges", out JsonElement mergeList))
            foreach (JsonElement merge in mergeList.EnumerateArray()) merges.Add(ReadMerge(merge, source));
        bool ignoreMerges = model.TryGetProperty("ignore_merges", out var ignore) && ignore.ValueKind == JsonValueKind.True;

        return new TokenizerJsonDefinition(source, vocabulary, merges, ignoreMerges, ReadAddedTokens(root, source), nfc, splitPatterns, addPrefixSpace, gpt2Split);
    }

    private static void CheckBpeOptions(JsonElement model, string source)
    {
        if (model.TryGetProperty("dropout", out var dropout) && dropout.ValueKind == JsonValueKind.Number && dropout.GetDouble() > 0)
            throw Unsupported(source, $"BPE dropout {dropout.GetDouble()}", "encoding would be random");
        foreach (string key in new[] { "continuing_subword_prefix", "end_of_word_suffix" })
            if (model.TryGetProperty(key, out var affix) && affix.ValueKind == JsonValueKind.String && affix.GetString()!.Length > 0)
                throw Unsupported(source, $"BPE {key} '{affix.GetString()}'", "byte-level BPE has no word affixes");
        if (model.TryGetProperty("byte_fallback", out var fallback) && fallback.ValueKind == JsonValueKind.True)
            throw Unsupported(source, "BPE byte_fallback (a SentencePiece-style BPE)", "load the folder's tokenizer.model instead");
    }

    /// <summary>The Split steps' patterns and the ByteLevel step's settings: ByteLevel alone, or last after Split steps.</summary>
    private static (IReadOnlyList<string> Patterns, bool AddPrefixSpace, bool Gpt2Split) ReadPreTokenizer(JsonElement root, string source)
    {
        if (!root.TryGetProperty("pre_tokenizer", out JsonElement pre) || pre.ValueKind == JsonValueKind.Null)
            throw Unsupported(source, "BPE without a pre-tokenizer", "only byte-level BPE (a ByteLevel pre-tokenizer) is read from tokenizer.json");
        var steps = TypeOf(pre) == "Sequence" ? Required(pre, "pretokenizers", source).EnumerateArray().ToList() : [pre];
        var patterns = new List<string>();
        for (int i = 0; i < steps.Count; i++)
        {
            string type = TypeOf(steps[i]);
            bool last = i == steps.Count - 1;
            if (type == "Split" && !last)
            {
                patterns.Add(ReadSplit(steps[i], source));
                continue;
            }
            if (type == "ByteLevel" && last)
            {
                // use_regex defaults to true (files from before the option existed split with GPT-2's pattern).
                bool gpt2 = !steps[i].TryGetProperty("use_regex", out var useRegex) || useRegex.ValueKind == JsonValueKind.True;
                bool prefix = steps[i].TryGetProperty("add_prefix_space", out var p) && p.ValueKind == JsonValueKind.True;
                return (patterns, prefix, gpt2);
            }
            throw Unsupported(source, $"pre-tokenizer '{type}'" + (type is "Split" or "ByteLevel" ? " at this place in the sequence" : ""),
                "supported: ByteLevel, alone or last after Split steps (as Llama-3 and Qwen2 have)");
        }
        throw Unsupported(source, "a pre-tokenizer sequence without a final ByteLevel step", "only byte-level BPE is read from tokenizer.json");
    }

    private static string ReadSplit(JsonElement split, string source)
    {
        string behavior = split.TryGetProperty("behavior", out var b) ? b.GetString() ?? "" : "";
        bool invert = split.TryGetProperty("invert", out var inv) && inv.ValueKind == JsonValueKind.True;
        if (behavior != "Isolated" || invert)
            throw Unsupported(source, $"Split pre-tokenizer with behavior '{behavior}'{(invert ? " inverted" : "")}", "supported: behavior Isolated, not inverted");
        JsonElement pattern = Required(split, "pattern", source);
        if (pattern.TryGetProperty("Regex", out var regex)) return regex.GetString()!;
        if (pattern.TryGetProperty("String", out var literal)) return System.Text.RegularExpressions.Regex.Escape(literal.GetString()!);
        throw Unsupported(source, "a Split pattern that is neither Regex nor String", "");
    }

    private static bool ReadNormalizer(JsonElement root, string source)
    {
        if (!root.TryGetProperty("normalizer", out JsonElement normalizer) || normalizer.ValueKind == JsonValueKind.Null) return false;
        var steps = TypeOf(normalizer) == "Sequence" ? Required(normalizer, "normalizers", source).EnumerateArray().ToList() : [normalizer];
        if (steps.Count == 0) return false;
        if (steps.Count == 1 && TypeOf(steps[0]) == "NFC") return true;
        throw Unsupported(source, $"normalizer {string.Join(" + ", steps.Select(TypeOf))}", "supported: none, or NFC (Qwen2)");
    }

    private static void CheckDecoder(JsonElement root, string source)
    {
        if (!root.TryGetProperty("decoder", out JsonElement decoder) || decoder.ValueKind == JsonValueKind.Null || TypeOf(decoder) != "ByteLevel")
        {
            string type = root.TryGetProperty("decoder", out decoder) && decoder.ValueKind == JsonValueKind.Object ? TypeOf(decoder) : "(none)";
            throw Unsupported(source, $"decoder '{type}'", "a byte-level BPE needs the ByteLevel decoder");
        }
    }

    /// <summary>A merge as "left right" (tokenizers before 0.20) or as ["left", "right"] (since: pieces may contain spaces).</summary>
    private static BpeMergeRule ReadMerge(JsonElement merge, string source)
    {
        if (merge.ValueKind == JsonValueKind.Array && merge.GetArrayLength() == 2)
            return new BpeMergeRule(merge[0].GetString()!, merge[1].GetString()!);
        string text = merge.GetString() ?? "";
        int space = text.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0 || space == text.Length - 1 || text.IndexOf(' ', space + 1) >= 0)
            throw new ModelLoadException($"{source}: merge '{text}' is not two pieces separated by one space");
        return new BpeMergeRule(text[..space], text[(space + 1)..]);
    }

    private static IReadOnlyList<AddedToken> ReadAddedTokens(JsonElement root, string source)
    {
        var tokens = new List<AddedToken>();
        if (!root.TryGetProperty("added_tokens", out JsonElement list) || list.ValueKind == JsonValueKind.Null) return tokens;
        foreach (JsonElement entry in list.EnumerateArray())
        {
            bool Flag(string key) => entry.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.True;
            var token = new AddedToken(Required(entry, "id", source).GetInt32(), Required(entry, "content", source).GetString()!,
                Flag("special"), Flag("normalized"), Flag("lstrip"), Flag("rstrip"));
            if (Flag("single_word"))
                throw Unsupported(source, $"added token '{token.Content}' with single_word", "it is matched only as a whole word, which is not implemented");
            tokens.Add(token);
        }
        return tokens;
    }

    private static string TypeOf(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty("type", out var type) ? type.GetString() ?? "(none)" : "(none)";

    private static JsonElement Required(JsonElement element, string key, string source) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(key, out JsonElement value)
            ? value
            : throw new ModelLoadException($"{source}: missing '{key}'");

    private static ModelLoadException Unsupported(string source, string what, string hint) =>
        new($"{source}: {what} is not supported" + (hint.Length > 0 ? $" ({hint})" : ""));
}

using System.Runtime.InteropServices;
using System.Text;
using RecurrentKif.Gpu.Models;

namespace RecurrentKif.Gpu.Tokenization.HuggingFace;

/// <summary>
/// A Hugging Face tokenizer.json of the byte-level BPE kind (Llama-3, Qwen2) behind <see cref="ITextTokenizer"/>.
/// Encoding follows Hugging Face's pipeline: added tokens are cut out of the raw text; the rest is NFC-normalized
/// when the file says so, split by the pre-tokenizer's patterns, spelled byte by byte in the
/// <see cref="ByteLevelAlphabet"/>, and merged by <see cref="ByteLevelBpeModel"/>. docs/tokenizers.md has the
/// details and what is refused.
/// </summary>
/// <remarks>
/// Special tokens written in the text (&lt;|im_end|&gt;) become their ids, as in Hugging Face's encode. The
/// post-processor is not applied: BOS comes from <see cref="Encode"/>'s flag alone, as with the other tokenizers.
/// Decoding gives Hugging Face's decode with skip_special_tokens off and no clean_up_tokenization_spaces, except
/// that BOS, EOS and pad ids are dropped, as every <see cref="ITextTokenizer"/> does.
/// </remarks>
public sealed class ByteLevelBpeTokenizer : ITextTokenizer
{
    private readonly ByteLevelBpeModel _model;
    private readonly AddedTokenSplitter _rawTokens, _normalizedTokens;
    private readonly bool _normalizeNfc, _addPrefixSpace;
    private readonly IReadOnlyList<IsolatingRegexSplit> _splits;
    private readonly IsolatingRegexSplit? _byteLevelSplit;
    private readonly string?[] _pieceOfId;

    public ByteLevelBpeTokenizer(TokenizerJsonDefinition definition, SpecialTokenIds specialTokens)
    {
        string source = definition.Source;
        try
        {
            _model = new ByteLevelBpeModel(definition.Vocabulary, definition.Merges, definition.IgnoreMerges, source);
        }
        catch (InvalidDataException e)
        {
            throw new ModelLoadException(e.Message, e);
        }
        _rawTokens = new AddedTokenSplitter(definition.AddedTokens.Where(t => !t.Normalized));
        _normalizedTokens = new AddedTokenSplitter(definition.AddedTokens.Where(t => t.Normalized));
        _normalizeNfc = definition.NormalizeNfc;
        _addPrefixSpace = definition.AddPrefixSpace;
        _splits = definition.SplitPatterns.Select(pattern => CompileSplit(pattern, source)).ToList();
        _byteLevelSplit = definition.ByteLevelSplitsGpt2 ? CompileSplit(TokenizerJsonReader.Gpt2SplitPattern, source) : null;

        int size = Math.Max(definition.Vocabulary.Values.DefaultIfEmpty(-1).Max(), definition.AddedTokens.Select(t => t.Id).DefaultIfEmpty(-1).Max()) + 1;
        _pieceOfId = new string?[size];
        foreach (var (piece, id) in definition.Vocabulary) _pieceOfId[CheckedId(id, piece, source)] = piece;
        foreach (AddedToken token in definition.AddedTokens) _pieceOfId[CheckedId(token.Id, token.Content, source)] = token.Content;
        VocabSize = size;

        // The ids may come from config.json, which does not check them against the tokenizer. BOS may be absent (−1).
        void RequireToken(string name, int id)
        {
            if (id < 0 || id >= size || _pieceOfId[id] is null)
                throw new ModelLoadException($"{source}: the {name} id {id} is not a token of this tokenizer ({size} ids)");
        }
        if (specialTokens.BosId != -1) RequireToken("BOS", specialTokens.BosId);
        RequireToken("EOS", specialTokens.EosId);
        RequireToken("pad", specialTokens.PadId);
        BosId = specialTokens.BosId;
        EosId = specialTokens.EosId;
        PadId = specialTokens.PadId;
    }

    /// <summary>Reads <paramref name="tokenizerJsonPath"/> and, beside it, tokenizer_config.json for the special tokens.</summary>
    public static ByteLevelBpeTokenizer Load(string tokenizerJsonPath)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(tokenizerJsonPath))!;
        TokenizerJsonDefinition definition = TokenizerJsonReader.Read(tokenizerJsonPath);
        return new ByteLevelBpeTokenizer(definition, SpecialTokenIds.Read(folder, definition.IdOf));
    }

    /// <summary>One more than the highest id of the vocabulary and the added tokens.</summary>
    public int VocabSize { get; }

    /// <summary>tokenizer_config.json's bos_token, or −1 when it names none (Qwen2; see <see cref="Encode"/>).</summary>
    public int BosId { get; }

    public int EosId { get; }

    public int PadId { get; }

    /// <summary>
    /// Encodes <paramref name="text"/>, after BOS when <paramref name="addBos"/> is set and the model has one. A
    /// decoder without BOS (Qwen2) starts a sequence with the text itself, which is what Hugging Face's
    /// add_special_tokens gives for it; so the causal-LM prompt code, which asks for BOS, works unchanged.
    /// </summary>
    public IReadOnlyList<int> Encode(string text, bool addBos)
    {
        var ids = new List<int>(text.Length / 3 + 2);
        if (addBos && BosId >= 0) ids.Add(BosId);
        var rawSegments = new List<TextSegment>();
        _rawTokens.Split(text, rawSegments);
        var segments = new List<TextSegment>();
        var words = new List<string>();
        foreach (TextSegment raw in rawSegments)
        {
            if (raw.AddedTokenId is int rawId)
            {
                ids.Add(rawId);
                continue;
            }
            segments.Clear();
            _normalizedTokens.Split(_normalizeNfc ? UnicodeNfc.Normalize(raw.Text) : raw.Text, segments);
            foreach (TextSegment segment in segments)
            {
                if (segment.AddedTokenId is int id)
                {
                    ids.Add(id);
                    continue;
                }
                words.Clear();
                PreTokenize(segment.Text, words);
                foreach (string word in words) _model.EncodeWord(ByteLevelAlphabet.Spell(word), ids);
            }
        }
        return ids;
    }

    /// <summary>
    /// The Split steps one after the other, each cutting every piece the previous one made; then the byte-level
    /// step: a space before each piece that lacks one (add_prefix_space), and GPT-2's split (use_regex).
    /// </summary>
    private void PreTokenize(string text, List<string> words)
    {
        words.Add(text);
        var next = new List<string>();
        foreach (IsolatingRegexSplit split in _splits)
        {
            next.Clear();
            foreach (string piece in words) split.Split(piece, next);
            words.Clear();
            words.AddRange(next);
        }
        if (!_addPrefixSpace && _byteLevelSplit is null) return;
        next.Clear();
        foreach (string piece in words)
        {
            string prefixed = _addPrefixSpace && !piece.StartsWith(' ') ? " " + piece : piece;
            if (_byteLevelSplit is null) next.Add(prefixed);
            else _byteLevelSplit.Split(prefixed, next);
        }
        words.Clear();
        words.AddRange(next);
    }

    public string Decode(IEnumerable<int> ids)
    {
        var bytes = new List<byte>();
        foreach (int id in ids)
        {
            string piece = (id >= 0 && id < VocabSize ? _pieceOfId[id] : null)
                ?? throw new ArgumentOutOfRangeException(nameof(ids), id, $"token id is not in the vocabulary of {VocabSize}");
            if (id == BosId || id == EosId || id == PadId) continue;
            AppendBytes(piece, bytes);
        }
        // Invalid UTF-8 (a cut multi-byte character) becomes U+FFFD, as Hugging Face's lossy conversion does.
        return Encoding.UTF8.GetString(CollectionsMarshal.AsSpan(bytes));
    }

    /// <summary>
    /// The ByteLevel decoder's rule: a piece whose characters are all alphabet characters stands for those bytes;
    /// any other piece (an added token with a space in it) for its own UTF-8.
    /// </summary>
    private static void AppendBytes(string piece, List<byte> bytes)
    {
        int start = bytes.Count;
        foreach (char c in piece)
        {
            if (ByteLevelAlphabet.TryGetByte(c, out byte b))
            {
                bytes.Add(b);
                continue;
            }
            bytes.RemoveRange(start, bytes.Count - start);
            bytes.AddRange(Encoding.UTF8.GetBytes(piece));
            return;
        }
    }

    private static IsolatingRegexSplit CompileSplit(string pattern, string source)
    {
        try
        {
            return new IsolatingRegexSplit(pattern);
        }
        catch (ArgumentException e)
        {
            throw new ModelLoadException($"{source}: the split pattern {pattern} is not a regular expression .NET can read ({e.Message})", e);
        }
    }

    private static int CheckedId(int id, string piece, string source) =>
        id >= 0 ? id : throw new ModelLoadException($"{source}: '{piece}' has the negative id {id}");
}

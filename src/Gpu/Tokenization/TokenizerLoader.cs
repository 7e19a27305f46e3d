namespace RecurrentKif.Gpu.Tokenization;

/// <summary>Finds and loads the tokenizer that ships in a model folder.</summary>
public static class TokenizerLoader
{
    /// <summary>
    /// Files tried, in order. SentencePiece models come first: when a folder has both (llama2.c exports
    /// beside an HF folder), the .model file is the original and tokenizer.bin a derived copy of it.
    /// tokenizer.json comes last: folders that have it beside a tokenizer.model (Llama-2, Mistral) describe the same
    /// SentencePiece model in both, and only byte-level BPE files (Llama-3, Qwen2) are read from it.
    /// </summary>
    public static IReadOnlyList<string> CandidateFileNames { get; } = ["tokenizer.model", "spiece.model", "tokenizer.bin", "tokenizer.json"];

    public static ITextTokenizer FromModelFolder(string folder)
    {
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"Model folder not found: {folder}");
        foreach (string name in CandidateFileNames)
        {
            string path = Path.Combine(folder, name);
            if (!File.Exists(path)) continue;
            return name switch
            {
                "tokenizer.bin" => Llama2cTokenizer.Load(path),
                "tokenizer.json" => HuggingFace.ByteLevelBpeTokenizer.Load(path),
                "spiece.model" => SentencePieceTextTokenizer.Load(path, T5ExtraIds(folder)),
                _ => SentencePieceTextTokenizer.Load(path),
            };
        }
        throw new FileNotFoundException(
            $"No tokenizer in model folder {folder}: looked for {string.Join(", ", CandidateFileNames)}");
    }

    /// <summary>
    /// T5's sentinel count: tokenizer_config.json's "extra_ids" when present, else 100, HF's T5Tokenizer default
    /// (the 100 ids after the 32 000 pieces of spiece.model).
    /// </summary>
    private static int T5ExtraIds(string folder)
    {
        string path = Path.Combine(folder, "tokenizer_config.json");
        if (!File.Exists(path)) return 100;
        try
        {
            var node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))?["extra_ids"];
            int extra = node?.GetValue<int>() ?? 100;
            return extra >= 0 ? extra : throw new InvalidDataException($"{path}: extra_ids must be >= 0 (got {extra})");
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{path}: not valid JSON or extra_ids is not an integer ({e.Message})", e);
        }
    }
}

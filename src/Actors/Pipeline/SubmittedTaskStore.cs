using System.Security.Cryptography;
using System.Text;
using RecurrentKif.Gpu.Checkpoints;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Data;

namespace RecurrentKif.Actors.Pipeline;

/// <summary>
/// A submitted task's files, content-addressed inside the run's own folder: <c>&lt;run folder&gt;/submitted/&lt;sha256&gt;/{train,dev,test}/&lt;name&gt;.json[l]</c>.
/// On acceptance the files are read once from where the submitter put them (plain files only, never through a link)
/// and copied; the journal records the hash (<see cref="Messages.TaskQueued"/>), and every later read (recovery,
/// resume, every rank of a learner group) reads the copy and checks that hash on the very bytes it parses. So a file
/// swapped, edited or deleted at its source after the answer changes nothing, and a damaged copy is a clear error
/// rather than other training data (docs/architecture.md §5: resume is bit-identical).
/// </summary>
public sealed class SubmittedTaskStore(string runFolder, TaskSubsetSizes sizes, long seed)
{
    private static readonly string[] Splits = ["train", "dev", "test"];
    private static readonly TaskFileLimits FromSubmitter = TaskFileLimits.None with { NoFollow = true };

    /// <summary>Where the copies live.</summary>
    public string Root { get; } = Path.Combine(runFolder, "submitted");

    /// <summary>
    /// Copies the task from <paramref name="sourceFolder"/> (the gateway's validated folder) into the store and loads it
    /// from the bytes copied. Throws <see cref="TaskDataException"/> or <see cref="IOException"/> when a file is missing,
    /// not a plain file, or malformed; nothing is stored then.
    /// </summary>
    public AcceptedTask Accept(string name, string sourceFolder)
    {
        var files = ReadSplits(sourceFolder, name, FromSubmitter);
        var task = Parse(name, files, sourceFolder, sizes, seed);
        string sha256 = ContentHash(files);
        string folder = FolderOf(sha256);
        // Content-addressed: an identical earlier copy is the same bytes, so it is rewritten (atomically) rather than trusted.
        foreach (var file in files)
            AtomicFile.Write(Path.Combine(folder, file.Split, file.FileName), stream => stream.Write(file.Bytes));
        return new AcceptedTask(new StoredTask(name, sha256, folder), task);
    }

    /// <summary>The stored copy of a task, checked against the hash the journal recorded.</summary>
    public ContinualTask Load(string name, string sha256) => Load(Stored(name, sha256), sizes, seed);

    /// <summary>Where the copy with this hash is (whether or not it is still there).</summary>
    public StoredTask Stored(string name, string sha256) => new(name, sha256, FolderOf(sha256));

    /// <summary>Loads a stored copy wherever it is named (a learner rank gets the folder in its plan).</summary>
    /// <exception cref="TaskDataException">A file is missing or the copy's hash is not the one recorded: names task, file and both hashes.</exception>
    public static ContinualTask Load(StoredTask stored, TaskSubsetSizes sizes, long seed)
    {
        ArgumentNullException.ThrowIfNull(stored);
        // The copy may sit below a linked data root; what it holds is checked by the hash, not by where it is.
        var files = ReadSplits(stored.Folder, stored.Name, TaskFileLimits.None);
        string actual = ContentHash(files);
        if (!string.Equals(actual, stored.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            string shown = files.Count == 0 ? "no files" : string.Join(", ", files.Select(f => $"{f.Split}/{f.FileName}"));
            throw new TaskDataException(stored.Folder, null,
                $"the stored copy of submitted task '{stored.Name}' ({shown}) has SHA-256 {actual}, but the journal recorded {stored.Sha256}: " +
                "the copy was changed or damaged after the task was accepted; restore it or resubmit the task under a new name.");
        }
        return Parse(stored.Name, files, stored.Folder, sizes, seed);
    }

    /// <summary>The bytes of each split file of the task that <paramref name="folder"/> holds, read once each.</summary>
    private static List<SplitFile> ReadSplits(string folder, string name, TaskFileLimits limits)
    {
        var files = new List<SplitFile>();
        foreach (string split in Splits)
            if (TaskFilePaths.Find(folder, split, name) is { } path)
                files.Add(new SplitFile(split, Path.GetFileName(path), TaskFileReader.ReadBytes(path, limits)));
        return files;
    }

    private static ContinualTask Parse(string name, List<SplitFile> files, string folder, TaskSubsetSizes sizes, long seed)
    {
        IReadOnlyList<TaskExample> Required(string split) =>
            files.FirstOrDefault(f => f.Split == split) is { } file
                ? TaskFileReader.Parse(Path.Combine(folder, split, file.FileName), file.Bytes, TaskFileLimits.None)
                : throw new TaskDataException(Path.Combine(folder, split, name + ".json"), null,
                    $"the {split} split of task '{name}' is missing (expected {TaskFilePaths.Expected(folder, split, name)}).");
        var train = Required("train");
        var dev = Required("dev");
        var test = files.Any(f => f.Split == "test") ? Required("test") : null;
        return BenchmarkTaskLoader.FromSplits(name, train, dev, test, TaskFilePaths.Expected(folder, "test", name), sizes, seed);
    }

    private string FolderOf(string sha256) => Path.Combine(Root, sha256.ToLowerInvariant());

    // Every file's split, name and length go into the hash with its bytes, so moving bytes between files changes it.
    private static string ContentHash(IReadOnlyList<SplitFile> files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{file.Split}/{file.FileName}\n{file.Bytes.Length}\n"));
            hash.AppendData(file.Bytes);
        }
        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }

    private sealed record SplitFile(string Split, string FileName, byte[] Bytes);
}

/// <summary>A submitted task's stored copy: its folder in the store and the SHA-256 the journal records.</summary>
public sealed record StoredTask(string Name, string Sha256, string Folder);

/// <summary>What <see cref="SubmittedTaskStore.Accept"/> returns: where the copy is, and the task loaded from it.</summary>
public sealed record AcceptedTask(StoredTask Stored, ContinualTask Task);

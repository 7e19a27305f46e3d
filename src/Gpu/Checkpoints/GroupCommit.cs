using System.Text.Json;

namespace RecurrentKif.Gpu.Checkpoints;

/// <summary>
/// One commit of a data-parallel learner group: the checkpoint of every rank at the same step boundary, written as a
/// small manifest (atomically, like every checkpoint) whose reference is what the journal records. On resume with
/// a different number of learners, rank r continues from the checkpoint of rank r mod (ranks at commit time).
/// </summary>
public static class GroupCommit
{
    private sealed record Manifest(int Version, string Task, int Step, IReadOnlyList<CheckpointReference> Ranks);

    public static CheckpointReference Save(string path, string task, int step, IReadOnlyList<CheckpointReference> ranks)
    {
        var manifest = new Manifest(1, task, step, ranks);
        string sha = AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, manifest));
        return new CheckpointReference(path, sha);
    }

    /// <summary>The rank checkpoints, after checking the manifest's and every rank file's SHA-256.</summary>
    public static IReadOnlyList<CheckpointReference> Read(CheckpointReference reference)
    {
        // Read once: the hash is checked on the very bytes that are parsed.
        byte[] content;
        try { content = File.ReadAllBytes(reference.Path); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CheckpointException($"group commit {reference.Path} is missing", e);
        }
        if (AtomicFile.Sha256Of(content) != reference.Sha256)
            throw new CheckpointException($"group commit {reference.Path} does not match its journaled SHA-256 (corrupt or replaced)");
        Manifest manifest;
        try { manifest = JsonSerializer.Deserialize<Manifest>(content) ?? throw new JsonException("empty"); }
        catch (JsonException e) { throw new CheckpointException($"group commit {reference.Path} is unreadable: {e.Message}", e); }
        if (manifest.Ranks.Count == 0) throw new CheckpointException($"group commit {reference.Path} lists no rank");
        foreach (var rank in manifest.Ranks)
        {
            if (!File.Exists(rank.Path)) throw new CheckpointException($"group commit {reference.Path}: rank checkpoint {rank.Path} is missing");
            if (AtomicFile.Sha256Of(rank.Path) != rank.Sha256)
                throw new CheckpointException($"group commit {reference.Path}: rank checkpoint {rank.Path} does not match its SHA-256");
        }
        return manifest.Ranks;
    }
}

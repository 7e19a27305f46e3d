using System.Runtime.Serialization;
using System.Text.Json;
using Akka.Actor;
using Akka.Serialization;
using RecurrentKif.Messages;

namespace RecurrentKif.Actors.Persistence;

/// <summary>
/// The journal's serializer: explicit manifests with a version ("CycleCommitted.v1") and JSON payloads, so events
/// survive refactoring (renaming a class does not break recovery) and a future v2 can be read next to v1.
/// Unknown manifests fail loudly instead of being skipped.
/// </summary>
public sealed class RunEventSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    private static readonly Dictionary<string, Type> TypeOfManifest = new()
    {
        ["RunStarted.v1"] = typeof(RunStarted),
        ["TaskStarted.v1"] = typeof(TaskStarted),
        ["CycleCommitted.v1"] = typeof(CycleCommitted),
        ["CycleRolledBack.v1"] = typeof(CycleRolledBack),
        ["TaskTrained.v1"] = typeof(TaskTrained),
        ["TaskEvaluated.v1"] = typeof(TaskEvaluated),
        ["TaskQueued.v1"] = typeof(TaskQueued),   // read only: no Sha256 (the task was read from its source folder)
        ["TaskQueued.v2"] = typeof(TaskQueued),
        ["RunFinished.v1"] = typeof(RunFinished),
    };

    // Manifests kept only to read old journals; new events are written with the type's latest version.
    private static readonly HashSet<string> ReadOnlyManifests = ["TaskQueued.v1"];

    private static readonly Dictionary<Type, string> ManifestOfType =
        TypeOfManifest.Where(kv => !ReadOnlyManifests.Contains(kv.Key)).ToDictionary(kv => kv.Value, kv => kv.Key);

    public override int Identifier => 4711;

    public override string Manifest(object o) =>
        ManifestOfType.TryGetValue(o.GetType(), out var manifest)
            ? manifest
            : throw new ArgumentException($"{o.GetType()} is not a journaled RecurrentKif event");

    public override byte[] ToBinary(object obj) => JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType());

    public override object FromBinary(byte[] bytes, string manifest) =>
        TypeOfManifest.TryGetValue(manifest, out var type)
            ? JsonSerializer.Deserialize(bytes, type) ?? throw new SerializationException($"empty {manifest} event")
            : throw new SerializationException($"unknown journal event '{manifest}': written by a newer RecurrentKif?");
}

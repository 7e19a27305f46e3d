using System.Runtime.Serialization;
using System.Text.Json;
using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;
using RecurrentKif.Messages;

namespace RecurrentKif.Client.Wire;

/// <summary>
/// The wire serializer of the run protocol and task submission (src/Messages), on the nodes and in the submission
/// client alike: a fixed manifest per type with a version ("SubmitTask.v1") and a System.Text.Json body. It replaces
/// Akka's default (Newtonsoft JSON with type names), which let the sender name any class to build and silently dropped
/// a message whose list was a collection expression (docs/security.md, "Wire contract"). An unknown manifest fails.
/// </summary>
public sealed class MessageSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int Id = 4712;

    private static readonly Dictionary<string, Type> TypeOfManifest = new()
    {
        ["SubmitTask.v1"] = typeof(SubmitTask),
        ["QueueTask.v1"] = typeof(QueueTask),
        ["TaskSubmissionResult.v1"] = typeof(TaskSubmissionResult),
        ["GetRunStatus.v1"] = typeof(GetRunStatus),
        ["RunStatus.v1"] = typeof(RunStatus),
    };

    private static readonly Dictionary<Type, string> ManifestOfType = TypeOfManifest.ToDictionary(kv => kv.Value, kv => kv.Key);

    /// <summary>The bindings, for every ActorSystem that sends or receives these messages (nodes and clients).</summary>
    public static Config Bindings { get; } = ConfigurationFactory.ParseString($$"""
        akka.actor {
          serializers { rkif-wire = "{{typeof(MessageSerializer).AssemblyQualifiedNameShort()}}" }
          serialization-bindings {
            {{string.Join("\n    ", TypeOfManifest.Values.Select(t => $"\"{t.AssemblyQualifiedNameShort()}\" = rkif-wire"))}}
          }
        }
        """);

    public override int Identifier => Id;

    public override string Manifest(object o) =>
        ManifestOfType.TryGetValue(o.GetType(), out var manifest) ? manifest : throw new ArgumentException($"{o.GetType()} is no RecurrentKif wire message");

    public override byte[] ToBinary(object obj) => JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), WireJson.Options);

    public override object FromBinary(byte[] bytes, string manifest) =>
        TypeOfManifest.TryGetValue(manifest, out var type)
            ? JsonSerializer.Deserialize(bytes, type, WireJson.Options) ?? throw new SerializationException($"empty {manifest} message")
            : throw new SerializationException($"unknown wire message '{manifest}'");
}

/// <summary>"Namespace.Type, Assembly", the form Akka's serialization bindings name a type by.</summary>
public static class TypeNames
{
    public static string AssemblyQualifiedNameShort(this Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";
}

using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;
using Akka.Streams;
using RecurrentKif.Client.Wire;
using RecurrentKif.Messages;

namespace RecurrentKif.Actors.Cluster;

/// <summary>
/// The wire serializer of the messages between the coordinator's learner group and the learner workers
/// (docs/architecture.md §4.3, docs/security.md "Wire contract"): a fixed, versioned manifest per type and a
/// System.Text.Json body by declared type, never a type name from the wire. Actor references travel as their
/// serialized paths and StreamRefs through Akka's own serializer for them (<see cref="SourceRefConverter"/>).
/// </summary>
public sealed class ClusterMessageSerializer : SerializerWithStringManifest
{
    public const int Id = 4713;

    // The records live in RecurrentKif.Messages as plain data (docs/security.md §6). A changed shape gets a new version:
    // the v2 records carry the wire forms (CheckpointFile, MaskShareSummary, TaskSummary) where v1 held the Gpu project's
    // records, so a node of the older build refuses them instead of misreading them.
    private static readonly Dictionary<string, Type> TypeOfManifest = new()
    {
        ["RegisterLearner.v1"] = typeof(RegisterLearner),
        ["TrainShard.v2"] = typeof(TrainShard),
        ["AbandonShard.v1"] = typeof(AbandonShard),
        ["ShardCycleReady.v1"] = typeof(ShardCycleReady),
        ["ShardCycleFused.v2"] = typeof(ShardCycleFused),
        ["ShardCommitted.v2"] = typeof(ShardCommitted),
        ["ShardFinished.v2"] = typeof(ShardFinished),
        ["ShardFailed.v2"] = typeof(ShardFailed),
        ["LearnersChanged.v1"] = typeof(LearnersChanged),
        // The group asks a worker to save the run's initial adapter; the worker answers the group with the file.
        ["SaveInitialAdapter.v1"] = typeof(SaveInitialAdapter),
        ["InitialAdapterSaved.v1"] = typeof(InitialAdapterSaved),
    };

    private static readonly Dictionary<Type, string> ManifestOfType = TypeOfManifest.ToDictionary(kv => kv.Value, kv => kv.Key);

    /// <summary>The bindings (added to <see cref="ActorSystemFactory.AkkaSettings"/>).</summary>
    public static Config Bindings { get; } = ConfigurationFactory.ParseString($$"""
        akka.actor {
          serializers { rkif-cluster = "{{typeof(ClusterMessageSerializer).AssemblyQualifiedNameShort()}}" }
          serialization-bindings {
            {{string.Join("\n    ", TypeOfManifest.Values.Select(t => $"\"{t.AssemblyQualifiedNameShort()}\" = rkif-cluster"))}}
          }
        }
        """);

    private readonly JsonSerializerOptions _options;

    public ClusterMessageSerializer(ExtendedActorSystem system) : base(system) =>
        _options = WireJson.Create(new ActorRefConverter(system), new SourceRefConverter(system));

    public override int Identifier => Id;

    public override string Manifest(object o) =>
        ManifestOfType.TryGetValue(o.GetType(), out var manifest) ? manifest : throw new ArgumentException($"{o.GetType()} is no RecurrentKif cluster message");

    public override byte[] ToBinary(object obj) => JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), _options);

    public override object FromBinary(byte[] bytes, string manifest) =>
        TypeOfManifest.TryGetValue(manifest, out var type)
            ? JsonSerializer.Deserialize(bytes, type, _options) ?? throw new SerializationException($"empty {manifest} message")
            : throw new SerializationException($"unknown cluster message '{manifest}'");

    /// <summary>An actor reference as its full path (with the sending node's address), resolved on arrival.</summary>
    private sealed class ActorRefConverter(ExtendedActorSystem system) : JsonConverter<IActorRef>
    {
        public override IActorRef Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            system.Provider.ResolveActorRef(reader.GetString() ?? throw new SerializationException("an actor reference without a path"));

        public override void Write(Utf8JsonWriter writer, IActorRef value, JsonSerializerOptions options) =>
            writer.WriteStringValue(Serialization.SerializedActorPath(value));
    }

    /// <summary>
    /// A StreamRef through whatever serializer Akka binds for it (Akka.Streams' own): its serializer id, manifest and
    /// bytes, base64 in the JSON. The reference is to the offering node's stream actor, so it must be serialized by Akka.
    /// </summary>
    private sealed class SourceRefConverter(ExtendedActorSystem system) : JsonConverter<ISourceRef<byte[]>>
    {
        private sealed record Envelope(int Serializer, string Manifest, byte[] Payload);

        public override ISourceRef<byte[]> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var envelope = JsonSerializer.Deserialize<Envelope>(ref reader, options) ?? throw new SerializationException("an empty stream reference");
            return system.Serialization.Deserialize(envelope.Payload, envelope.Serializer, envelope.Manifest) as ISourceRef<byte[]>
                ?? throw new SerializationException($"'{envelope.Manifest}' is no stream reference of bytes");
        }

        public override void Write(Utf8JsonWriter writer, ISourceRef<byte[]> value, JsonSerializerOptions options)
        {
            var serializer = system.Serialization.FindSerializerFor(value);
            JsonSerializer.Serialize(writer, new Envelope(serializer.Identifier, Serialization.ManifestFor(serializer, value), serializer.ToBinary(value)), options);
        }
    }
}

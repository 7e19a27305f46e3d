using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence.Sql;
using RecurrentKif.Actors.Hosting;
using RecurrentKif.Actors.Settings;

namespace RecurrentKif.Actors;

/// <summary>
/// Builds the ActorSystem of a single-process run (<c>rkif run</c>, <c>rkif status</c>) from hocon/akka.conf (Serilog
/// logging, the versioned journal serializer, one dedicated compute thread for the stages that run libtorch) and the SQL
/// journal (<see cref="SqlJournalSetup"/>). A cluster node is built by <see cref="NodeHost"/> on Akka.Hosting instead, from the
/// same pieces.
/// </summary>
public static class ActorSystemFactory
{
    public const string ComputeDispatcher = "rkif-compute-dispatcher";

    /// <summary>Where the Akka settings are shipped: hocon/akka.conf beside the program, as reference.conf is.</summary>
    public static string AkkaSettingsPath => Path.Combine(AppContext.BaseDirectory, "hocon", "akka.conf");

    /// <summary>
    /// hocon/akka.conf: Serilog logging, the serializers and their bindings, and the compute dispatcher, shared by every
    /// RecurrentKif ActorSystem. It holds no value of the user's: whatever comes from the user's files is set as a
    /// typed value (<see cref="SqlJournalSetup"/>, <see cref="HoconTree"/>), never pasted into text.
    /// </summary>
    public static Config AkkaSettings => AkkaSettingsOnce.Value;

    private static readonly Lazy<Config> AkkaSettingsOnce = new(() =>
    {
        string path = AkkaSettingsPath;
        if (!File.Exists(path)) throw new RunConfigurationException($"Akka settings missing: {path} (broken install)");
        // The wire serializers' bindings are generated from their manifest tables (one list per serializer, so a
        // binding cannot drift from what the serializer can write): every message that crosses a node goes through
        // an explicit serializer with fixed manifests (docs/security.md).
        try
        {
            return ConfigurationFactory.ParseString(File.ReadAllText(path))
                .WithFallback(Client.Wire.MessageSerializer.Bindings)
                .WithFallback(Cluster.ClusterMessageSerializer.Bindings);
        }
        catch (Exception e) { throw new RunConfigurationException($"{path}: not valid HOCON: {e.Message}", e); }
    });

    public static ActorSystem Create(RunConfiguration run, string name = "rkif")
    {
        Directory.CreateDirectory(run.DataRoot);
        var config = AkkaSettings
            .WithFallback(SqlJournalSetup.For(run).ToConfig())
            .WithFallback(SqlPersistence.DefaultConfiguration);
        return ActorSystem.Create(name, config);
    }
}

using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence.Sql;
using RecurrentKif.Actors.Hosting;
using RecurrentKif.Actors.Settings;

namespace RecurrentKif.Actors;

/// <summary>
/// Builds the ActorSystem of a single-process run (<c>rkif run</c>, <c>rkif status</c>): Serilog logging, the
/// versioned journal serializer, the SQL journal (<see cref="SqlJournalSetup"/>) and one dedicated compute thread for
/// the stages that run libtorch. A cluster node is built by <see cref="NodeHost"/> on Akka.Hosting instead, from the
/// same pieces.
/// </summary>
public static class ActorSystemFactory
{
    public const string ComputeDispatcher = "rkif-compute-dispatcher";

    /// <summary>
    /// Constant HOCON shared by every RecurrentKif ActorSystem. It holds no configuration value: whatever comes from
    /// the user's files is set as a typed value (<see cref="SqlJournalSetup"/>, <see cref="HoconTree"/>), never pasted
    /// into text.
    /// </summary>
    public static Config SerializationAndDispatchers { get; } = ConfigurationFactory.ParseString("""
        akka.actor {
          serializers { rkif-events = "RecurrentKif.Actors.Persistence.RunEventSerializer, RecurrentKif.Actors" }
          serialization-bindings { "RecurrentKif.Messages.IRunEvent, RecurrentKif.Messages" = rkif-events }
        }
        # One dedicated thread for every stage that runs libtorch: its grad mode and dispose scopes are per thread,
        # and each OS thread that calls into libtorch brings its own OpenMP team, whose idle spinning would steal
        # cores from the learner. The stages never need to run at the same time anyway (a cycle is a chain).
        rkif-compute-dispatcher {
          type = ForkJoinDispatcher
          throughput = 100
          dedicated-thread-pool { thread-count = 1, threadtype = background }
        }
        """)
        // Every message that crosses a node goes through an explicit serializer with fixed manifests (docs/security.md).
        .WithFallback(Client.Wire.MessageSerializer.Bindings)
        .WithFallback(Cluster.ClusterMessageSerializer.Bindings);

    private static readonly Config SerilogLogging = ConfigurationFactory.ParseString("""
        akka {
          loglevel = INFO
          stdout-loglevel = WARNING
          loggers = ["RecurrentKif.Actors.SerilogAkkaLogger, RecurrentKif.Actors"]
        }
        """);

    public static ActorSystem Create(RunConfiguration run, string name = "rkif")
    {
        Directory.CreateDirectory(run.DataRoot);
        var config = SerilogLogging
            .WithFallback(SerializationAndDispatchers)
            .WithFallback(SqlJournalSetup.For(run).ToConfig())
            .WithFallback(SqlPersistence.DefaultConfiguration);
        return ActorSystem.Create(name, config);
    }
}

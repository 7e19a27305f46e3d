using Akka.Actor;
using Akka.Cluster.Tools.Client;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Cluster.Tools.Singleton;
using Akka.Configuration;
using Akka.Persistence.Sql;
using RecurrentKif.Actors.Settings;

namespace RecurrentKif.Actors;

/// <summary>
/// Builds the node's ActorSystem: Serilog logging, the versioned journal serializer, the SQL journal (an embedded
/// SQLite file under the data root by default, PostgreSQL by configuration) and one dedicated compute thread for the
/// stages that run libtorch.
/// </summary>
public static class ActorSystemFactory
{
    /// <param name="clusterHocon">For a cluster node: its Akka.Cluster settings (<see cref="Cluster.ClusterSettings.ToHocon"/>).</param>
    public static ActorSystem Create(RunConfiguration run, string name = "rkif", string? clusterHocon = null)
    {
        Directory.CreateDirectory(run.DataRoot);
        var (connection, provider) = run.Journal.Provider == "postgresql"
            ? (run.Journal.ConnectionString, "PostgreSQL.15")
            : ($"Data Source={Path.Combine(run.DataRoot, "journal.db")}", "SQLite.MS");
        string hocon = $$"""
            akka {
              loglevel = INFO
              stdout-loglevel = WARNING
              loggers = ["RecurrentKif.Actors.SerilogAkkaLogger, RecurrentKif.Actors"]
              actor {
                serializers { rkif-events = "RecurrentKif.Actors.Persistence.RunEventSerializer, RecurrentKif.Actors" }
                serialization-bindings { "RecurrentKif.Messages.IRunEvent, RecurrentKif.Messages" = rkif-events }
              }
              persistence {
                journal {
                  plugin = "akka.persistence.journal.sql"
                  sql { connection-string = "{{connection}}", provider-name = "{{provider}}", auto-initialize = true }
                }
                snapshot-store {
                  plugin = "akka.persistence.snapshot-store.sql"
                  sql { connection-string = "{{connection}}", provider-name = "{{provider}}", auto-initialize = true }
                }
              }
            }
            # One dedicated thread for every stage that runs libtorch: its grad mode and dispose scopes are per thread,
            # and each OS thread that calls into libtorch brings its own OpenMP team, whose idle spinning would steal
            # cores from the learner. The stages never need to run at the same time anyway (a cycle is a chain).
            rkif-compute-dispatcher {
              type = ForkJoinDispatcher
              throughput = 100
              dedicated-thread-pool { thread-count = 1, threadtype = background }
            }
            """;
        var config = ConfigurationFactory.ParseString(hocon);
        if (clusterHocon is not null)
            config = ConfigurationFactory.ParseString(clusterHocon).WithFallback(config)
                .WithFallback(ClusterSingleton.DefaultConfig())
                .WithFallback(ClusterClientReceptionist.DefaultConfig())
                .WithFallback(DistributedPubSub.DefaultConfig());
        config = config.WithFallback(SqlPersistence.DefaultConfiguration);
        return ActorSystem.Create(name, config);
    }

    public const string ComputeDispatcher = "rkif-compute-dispatcher";
}

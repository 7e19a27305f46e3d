using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.Client;
using Akka.Configuration;
using RecurrentKif.Actors.Gateway;
using RecurrentKif.Actors.Pipeline;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Data;
using RecurrentKif.Messages;
using Xunit.Abstractions;

namespace RecurrentKif.Integration.Tests.Attacks;

/// <summary>
/// Attacks on submitted task files: `rkif submit` / `rkif cluster-status` as real processes against a gateway hosted
/// here (a one-node cluster whose coordinator records what reaches it), and the run's stored copy of an accepted task.
/// </summary>
[Trait("Category", "Attack")]
public sealed class SubmittedFilesAttackTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Token = "attack-test-token-0123456789";
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);
    private static readonly TaskSubsetSizes Sizes = new(4, 2, 2);
    private readonly string dataRoot = Path.Combine(Path.GetTempPath(), "rkif-attack-" + Guid.NewGuid().ToString("N"));
    private readonly List<string> queued = [];
    private ActorSystem? system;
    private HttpTaskGateway? http;
    private Address? node;

    public async Task InitializeAsync()
    {
        WriteTask(Path.Combine(dataRoot, "incoming"), "parity", 6);
        system = ActorSystem.Create("rkif", ConfigurationFactory.ParseString("""
            akka {
              loglevel = WARNING
              actor.provider = cluster
              remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
              cluster.seed-nodes = []
              extensions = ["Akka.Cluster.Tools.Client.ClusterClientReceptionistExtensionProvider, Akka.Cluster.Tools"]
            }
            """).WithFallback(RecurrentKif.Client.Wire.MessageSerializer.Bindings)   // status and submissions cross as a node sends them
                .WithFallback(ClusterClientReceptionist.DefaultConfig()));
        var cluster = Cluster.Get(system);
        var up = new TaskCompletionSource();
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        cluster.Join(cluster.SelfAddress);
        await up.Task.WaitAsync(TimeSpan.FromSeconds(60));
        node = cluster.SelfAddress;
        var settings = new GatewaySettings { Token = Token, DataRoot = dataRoot, AskTimeout = TimeSpan.FromSeconds(20) };
        var gateway = TaskGateway.Start(system, settings, system.ActorOf(Props.Create(() => new RecordingCoordinator(queued))));
        http = await HttpTaskGateway.StartAsync(settings, gateway, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (http is not null) await http.DisposeAsync();
        if (system is not null) await system.Terminate();
        Directory.Delete(dataRoot, recursive: true);
    }

    [Fact]
    public async Task A_fifo_task_file_submitted_over_http_is_refused_and_the_next_submission_is_served()
    {
        string fifoTask = WriteTask(Path.Combine(dataRoot, "fifo"), "parity", 6, "train", "test");
        MakeFifo(Path.Combine(fifoTask, "dev", "parity.json"));

        // Before: FileInfo.Exists passed the FIFO and ReadAllBytes blocked the gateway's only validation slot forever,
        // so this submission hung until the client gave up and every later one waited behind it.
        var fifo = await Rkif($"submit --http {http!.Url} --name parity --source fifo");
        var next = await Rkif($"submit --http {http.Url} --name parity --source incoming");

        bool pass = fifo.ExitCode == 2 && fifo.Output.Contains("not a plain file") && next.ExitCode == 0 && queued.SequenceEqual(["parity"]);
        AttackLog.Case(output, "fifo task file over HTTP", "refused (Invalid, not a plain file) at once; the next valid submission queued",
            $"fifo: exit {fifo.ExitCode} {FirstLine(fifo.Output, "refused")}; next: exit {next.ExitCode}; queued [{string.Join(",", queued)}]", pass);
        Assert.Equal(2, fifo.ExitCode);
        Assert.Contains("not a plain file", fifo.Output);
        Assert.True(next.ExitCode == 0, next.Output);
        Assert.Equal(["parity"], queued);
    }

    [Fact]
    public async Task Status_over_cluster_client_without_the_right_token_is_refused()
    {
        // Before: GetRunStatus over ClusterClient needed no token and answered task names, folders and addresses.
        var wrong = await Rkif($"cluster-status --contact {node}", "wrong-token-0123456789");
        var right = await Rkif($"cluster-status --contact {node}");

        bool pass = wrong.ExitCode == 2 && wrong.Output.Contains("missing or wrong token") && !wrong.Output.Contains("coordinator: akka")
                    && right.ExitCode == 0;
        AttackLog.Case(output, "cluster-status over ClusterClient with a wrong token", "refused: missing or wrong token (exit 2), nothing of the run shown",
            $"wrong token: exit {wrong.ExitCode} {FirstLine(wrong.Output, "token")}; right token: exit {right.ExitCode}", pass);
        Assert.Equal(2, wrong.ExitCode);
        Assert.Contains("missing or wrong token", wrong.Output);
        Assert.DoesNotContain("coordinator: akka", wrong.Output);
        Assert.True(right.ExitCode == 0, right.Output);
    }

    [Fact]
    public void A_task_file_swapped_for_a_link_to_outside_after_acceptance_is_never_read()
    {
        string runFolder = Path.Combine(dataRoot, "runs", "r1");
        string source = WriteTask(Path.Combine(dataRoot, "swap"), "parity", 6);
        var accepted = new SubmittedTaskStore(runFolder, Sizes, 7).Accept("parity", source);

        string outside = WriteTask(Path.Combine(dataRoot + "-outside"), "parity", 9, "train");
        try
        {
            string train = Path.Combine(source, "train", "parity.json");
            File.Delete(train);
            File.CreateSymbolicLink(train, Path.Combine(outside, "train", "parity.json"));
            // Before: TaskQueued kept only the folder, and recovery re-read it by path, through the link.
            var reloaded = new SubmittedTaskStore(runFolder, Sizes, 7).Load("parity", accepted.Stored.Sha256);

            bool same = reloaded.Train.SequenceEqual(accepted.Task.Train) && reloaded.Evaluation.SequenceEqual(accepted.Task.Evaluation);
            bool outsideRead = reloaded.Train.Any(e => e.Id.StartsWith("outside_", StringComparison.Ordinal));
            AttackLog.Case(output, "task file swapped for a link after acceptance", "recovery reads the accepted copy; nothing outside the data root is read",
                $"reloaded equals accepted: {same}; outside records read: {outsideRead}", same && !outsideRead);
            Assert.True(same);
            Assert.False(outsideRead);
        }
        finally { Directory.Delete(outside, recursive: true); }
    }

    [Fact]
    public void A_task_file_edited_between_a_crash_and_the_resume_changes_nothing_and_a_damaged_copy_is_a_clear_error()
    {
        string runFolder = Path.Combine(dataRoot, "runs", "r2");
        string source = WriteTask(Path.Combine(dataRoot, "edit"), "parity", 6);
        var accepted = new SubmittedTaskStore(runFolder, Sizes, 7).Accept("parity", source);

        // The process is gone; the file at the source is edited; a new process resumes from the journal's hash.
        WriteTask(source, "parity", 8, "train");
        var resumed = new SubmittedTaskStore(runFolder, Sizes, 7).Load("parity", accepted.Stored.Sha256);
        bool same = resumed.Train.SequenceEqual(accepted.Task.Train);

        WriteTask(accepted.Stored.Folder, "parity", 8, "train");
        var damaged = Record.Exception(() => new SubmittedTaskStore(runFolder, Sizes, 7).Load("parity", accepted.Stored.Sha256));
        bool clear = damaged is TaskDataException && damaged.Message.Contains(accepted.Stored.Sha256) && damaged.Message.Contains("train/parity.json");
        AttackLog.Case(output, "task file edited between crash and resume", "resume trains on the accepted copy; a changed copy stops with task, file and both hashes",
            $"resumed equals accepted: {same}; changed copy: {damaged?.GetType().Name}: {damaged?.Message[..Math.Min(120, damaged.Message.Length)]}", same && clear);
        Assert.True(same);
        Assert.True(clear, damaged?.ToString());
    }

    private static string WriteTask(string folder, string name, int records, params string[] splits)
    {
        string prefix = folder.EndsWith("-outside", StringComparison.Ordinal) ? "outside" : name;
        var examples = Enumerable.Range(0, records).Select(i => new TaskExample($"{prefix}_{i}", "Even?", i.ToString(), i % 2 == 0 ? "yes" : "no")).ToArray();
        foreach (string split in splits.Length > 0 ? splits : ["train", "dev", "test"])
            TaskFileWriter.Write(Path.Combine(folder, split, name + ".json"), examples);
        return folder;
    }

    private static void MakeFifo(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var mkfifo = System.Diagnostics.Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }

    private static string FirstLine(string text, string containing) =>
        text.Split('\n').FirstOrDefault(l => l.Contains(containing, StringComparison.Ordinal))?.Trim() ?? "(no such line)";

    // Each command is bounded: RkifProcess kills the child and throws when it runs past the bound.
    private static Task<RkifProcess.Result> Rkif(string arguments, string token = Token) =>
        Task.Run(() => RkifProcess.Run(arguments, new Dictionary<string, string> { ["RKIF_GATEWAY_TOKEN"] = token }, Bound));

    /// <summary>Stands in for the run's coordinator: queues every task it is sent and reports it.</summary>
    private sealed class RecordingCoordinator : ReceiveActor
    {
        public RecordingCoordinator(List<string> queued)
        {
            Receive<QueueTask>(queue =>
            {
                lock (queued) queued.Add(queue.Name);
                Sender.Tell(TaskSubmissionResult.Queued(queue.Name, queued.Count - 1));
            });
            Receive<GetRunStatus>(_ => Sender.Tell(new RunStatus("attack-run", [.. queued], 0, "training", 0, 10, null, [], false,
                Akka.Cluster.Cluster.Get(Context.System).SelfAddress.ToString(), [])));
        }
    }
}

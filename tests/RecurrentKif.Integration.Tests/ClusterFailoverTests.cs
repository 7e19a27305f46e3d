using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using RecurrentKif.Actors;
using RecurrentKif.Actors.Settings;
using RecurrentKif.Messages;
using Xunit.Abstractions;

namespace RecurrentKif.Integration.Tests;

/// <summary>
/// Issue 5's acceptance run: three `rkif node` processes on 127.0.0.1 (a coordinator and two learners, which also stand
/// by for the coordinator) with a PostgreSQL journal; a 3-task sequence submitted over HTTP and one task through
/// ClusterClient (`rkif submit --contact`); a learner SIGKILLed mid-task; every task still trained and evaluated exactly
/// once, with the metrics table; then the coordinator node SIGKILLed and the run's coordinator recovered on a survivor.
/// </summary>
public sealed class ClusterFailoverTests(ITestOutputHelper output) : IDisposable
{
    private const string Token = "cluster-test-token-0123456789";
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(6);
    private readonly string _root = Directory.CreateTempSubdirectory("rkif-cluster").FullName;
    private readonly List<NodeProcess> _nodes = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task ThreeNodeClusterSurvivesALearnerAndTheCoordinatorDying()
    {
        int[] akkaPorts = [PostgresServer.FreePort(), PostgresServer.FreePort(), PostgresServer.FreePort()];
        int[] httpPorts = [PostgresServer.FreePort(), PostgresServer.FreePort(), PostgresServer.FreePort()];
        string config = WriteConfig(PostgresServer.Shared.CreateDatabase(), akkaPorts[0]);
        var seed = StartNode("coordinator", config, akkaPorts[0], httpPorts[0], "coordinator");
        await WaitUntil(() => Healthy(httpPorts[0]), "the seed node's HTTP gateway to answer");
        var learnerA = StartNode("learner-a", config, akkaPorts[1], httpPorts[1], "learner,coordinator");
        var learnerB = StartNode("learner-b", config, akkaPorts[2], httpPorts[2], "learner,coordinator");

        // Refused submissions change nothing: no token, a wrong token, a folder outside the data root, a malformed body.
        Assert.Equal(HttpStatusCode.Unauthorized, (await Submit(httpPorts[0], "evil", "tasks/builtin", token: null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Submit(httpPorts[0], "evil", "tasks/builtin", token: "wrong-token-0123456789")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Submit(httpPorts[0], "review", "../../etc", Token)).StatusCode);
        using (var malformed = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{httpPorts[0]}/tasks"))
        {
            malformed.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            malformed.Content = new StringContent("{\"name\": \"evil\",", System.Text.Encoding.UTF8, "application/json");
            Assert.Equal(HttpStatusCode.BadRequest, (await _http.SendAsync(malformed)).StatusCode);
        }

        // Three tasks over HTTP, one through ClusterClient.
        foreach (var (name, index) in new[] { ("review", 0), ("topic", 1), ("compare", 2) })
        {
            var accepted = await SubmitRetryingWhileUnavailable(httpPorts[0], name, "tasks/builtin", Token);
            Assert.True(accepted.StatusCode == HttpStatusCode.Accepted, await accepted.Content.ReadAsStringAsync());
            var body = await accepted.Content.ReadFromJsonAsync<TaskSubmissionAccepted>(TaskGatewayHttp.JsonOptions);
            Assert.Equal(index, body!.TaskIndex);
        }
        var viaClusterClient = RkifProcess.Run($"submit --name parity --source tasks/builtin --contact akka.tcp://rkif@127.0.0.1:{akkaPorts[0]} --timeout 30",
            new Dictionary<string, string>(DevCertificates.Environment(DevCertificates.Client)) { ["RKIF_GATEWAY_TOKEN"] = Token }, timeout: TimeSpan.FromMinutes(2));
        Assert.True(viaClusterClient.ExitCode == 0, viaClusterClient.Output);
        Assert.Equal(HttpStatusCode.Conflict, (await Submit(httpPorts[0], "parity", "tasks/builtin", Token)).StatusCode);

        // A learner dies in the middle of task 1.
        await WaitUntil(async () => await Status(httpPorts[0]) is { CurrentTask: 1, Phase: "training", Step: > 0, Learners.Count: 2 }, "task 1 to be training on two learners");
        var killed = Stopwatch.StartNew();
        learnerB.Kill();
        await WaitUntil(async () => await Status(httpPorts[0]) is { Learners.Count: 1 }, "the coordinator to notice the lost learner");
        var detected = killed.Elapsed;
        await WaitUntil(async () => await Status(httpPorts[0]) is { Phase: "training", Step: > 0 } s && s.CurrentTask >= 1, "training to go on with one learner");
        output.WriteLine($"learner killed: lost learner detected after {detected.TotalSeconds:F1} s, training resumed after {killed.Elapsed.TotalSeconds:F1} s");

        var done = await WaitFor(async () => await Status(httpPorts[0]) is { AccuracyRows.Count: 4 } s ? s : null, "all four tasks to be evaluated");
        Assert.Equal(["review", "topic", "compare", "parity"], done.TaskNames);
        Assert.All(done.AccuracyRows, row => Assert.Equal(4, row.Count));
        // The metrics table is rewritten after every evaluated row.
        string matrixPath = Path.Combine(_root, "data", "runs", "cluster", "matrix.txt");
        string matrix = await WaitFor(() => Task.FromResult(File.Exists(matrixPath) && File.ReadAllText(matrixPath) is { } m && m.Contains("after parity") ? m : null),
            "the metrics table");
        Assert.Contains("OP", matrix);
        Assert.Contains("BWT", matrix);

        // The failed learner node is restarted (as an operator would) and rejoins: three nodes again, so that the next
        // crash leaves a majority (with two nodes, a survivor cannot tell a crash from a partition; see reference.conf).
        learnerB = StartNode("learner-b-restarted", config, akkaPorts[2], httpPorts[2], "learner,coordinator");
        // A learner registers only once its node is Up; its own gateway reaching the coordinator shows it sees the cluster.
        await WaitUntil(async () => await Status(httpPorts[0]) is { Learners.Count: 2 } && await Status(httpPorts[2]) is { Learners.Count: 2 },
            "the restarted learner to rejoin");

        // The coordinator's node dies; the singleton moves to the oldest survivor and recovers the run from the journal.
        killed.Restart();
        seed.Kill();
        var recovered = await WaitFor(async () => await Status(httpPorts[1]) is { AccuracyRows.Count: 4 } s && s.CoordinatorNode.EndsWith($":{akkaPorts[1]}") ? s : null,
            "the coordinator to come back on the surviving node");
        output.WriteLine($"coordinator killed: coordinator answering again on {recovered.CoordinatorNode} after {killed.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(done.TaskNames, recovered.TaskNames);
        Assert.Equal(done.AccuracyRows, recovered.AccuracyRows);

        // Exactly once: the journal holds one training and one evaluation per task, and nothing of the refused submissions.
        var state = await RunHost.ReadStateAsync(RunConfigurationLoader.Load(config));
        Assert.Equal(["review", "topic", "compare", "parity"], state.TaskNames);
        Assert.All(Enumerable.Range(0, 4), k =>
        {
            Assert.Equal(1, state.TrainedCount.GetValueOrDefault(k));
            Assert.Equal(1, state.EvaluatedCount.GetValueOrDefault(k));
        });
        Assert.Contains("Learner learner-b left", seed.Output);
    }

    private string WriteConfig(string connectionString, int seedPort)
    {
        string model = Path.Combine(TinyRun.SharedRoot(), "models", "stories260k");
        string path = Path.Combine(_root, "cluster.conf");
        string seedConf = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(RkifProcess.LauncherDll)!, "hocon", "cluster-seed.conf"));
        File.WriteAllText(path, $$"""
            include "{{seedConf}}"
            rkif {
              run-id = "cluster"
              data-root = "{{Path.Combine(_root, "data")}}"
              model = "{{model}}"
              threads = 1
              tasks { source = "builtin", order = "submitted", train-per-task = 32, dev-per-task = 8, eval-per-task = 6 }
              training { epochs = 2, batch-size = 4, micro-batch-size = 2, learning-rate = 3e-3, warmup-steps = 2, cutoff = 256, keep-answer = on }
              kif { inner-steps = 2, outer-steps = 2, outer-batch-size = 4 }
              memory-ratio = 0.25
              validation-per-task = 4
              eval-every = 4
              evaluation { max-new-tokens = 4 }
              journal { provider = "postgresql", connection-string = "{{connectionString}}" }
              cluster {
                seed-nodes = ["akka.tcp://rkif@127.0.0.1:{{seedPort}}"]
                min-learners = 2
              }
            }
            """);
        return path;
    }

    private NodeProcess StartNode(string name, string config, int akkaPort, int httpPort, string roles)
    {
        var node = new NodeProcess(name, $"node \"{config}\" --set cluster.port={akkaPort} --set gateway.http.port={httpPort}",
            new Dictionary<string, string> { ["RKIF_CLUSTER_ROLES"] = roles, ["RKIF_LEARNER_NAME"] = name, ["RKIF_GATEWAY_TOKEN"] = Token });
        _nodes.Add(node);
        return node;
    }

    private async Task<HttpResponseMessage> Submit(int port, string name, string source, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port}/tasks")
        {
            Content = JsonContent.Create(new TaskSubmissionRequest(name, source), options: TaskGatewayHttp.JsonOptions),
        };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _http.SendAsync(request);
    }

    /// <summary>
    /// Submits as a well-behaved client does: a 503 says "retry later" (the coordinator did not answer within the
    /// gateway's 10 s, e.g. while nodes join on a loaded machine), so retry for up to two minutes; every other answer
    /// is returned as it is.
    /// </summary>
    private async Task<HttpResponseMessage> SubmitRetryingWhileUnavailable(int port, string name, string source, string token)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var response = await Submit(port, name, source, token);
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || clock.Elapsed > TimeSpan.FromMinutes(2)) return response;
            output.WriteLine($"submission of {name}: 503 after {clock.Elapsed.TotalSeconds:F0} s, retrying");
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
    }

    private async Task<bool> Healthy(int port)
    {
        try { return (await _http.GetAsync($"http://127.0.0.1:{port}/health")).IsSuccessStatusCode; }
        catch (HttpRequestException) { return false; }
    }

    private async Task<RunStatus?> Status(int port)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/status");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            using var response = await _http.SendAsync(request);
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<RunStatus>(TaskGatewayHttp.JsonOptions) : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { return null; }
    }

    private async Task WaitUntil(Func<Task<bool>> condition, string what) =>
        await WaitFor(async () => await condition() ? "yes" : null, what);

    private async Task<T> WaitFor<T>(Func<Task<T?>> probe, string what) where T : class
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Patience)
        {
            if (await probe() is { } value) return value;
            if (_nodes.All(n => n.HasExited)) break;
            await Task.Delay(250);
        }
        throw new TimeoutException($"gave up waiting {clock.Elapsed.TotalSeconds:F0} s for {what}.\n" +
            string.Join("\n", _nodes.Select(n => $"===== {n.Name} =====\n{Tail(n.Output)}")));
    }

    private static string Tail(string text) => text.Length > 6000 ? text[^6000..] : text;

    public void Dispose()
    {
        foreach (var node in _nodes) node.Dispose();
        _http.Dispose();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }
}

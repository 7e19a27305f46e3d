using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using RecurrentKif.Actors;
using RecurrentKif.Actors.Settings;
using RecurrentKif.Messages;

namespace RecurrentKif.Integration.Tests.Attacks;

/// <summary>
/// The target of the remoting attacks: one `rkif node` (coordinator and learner, over mutual TLS with the test run's
/// cluster certificates) training the tiny three-task run on 127.0.0.1, with its HTTP gateway for status.
/// </summary>
public sealed class AttackedNode : IDisposable
{
    public const string Token = "attack-test-token-0123456789";
    public const string CoordinatorPath = "/user/run-coordinator/coordinator";
    // The coordinator runs below its supervisor (docs/architecture.md §2.1), the learner group below the coordinator.
    public const string LearnerGroupPath = CoordinatorPath + "/" + RecurrentKif.Actors.Coordination.RunSupervisor.CoordinatorName + "/learner-group";
    public const string GatewayPath = "/user/task-gateway";
    public const string WorkerPath = "/user/learner-worker";

    private readonly TinyRun _run = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly int _httpPort = PostgresServer.FreePort();

    public AttackedNode()
    {
        AkkaPort = PostgresServer.FreePort();
        Node = new NodeProcess("attacked", $"node \"{_run.ConfigPath}\" --set gateway.http.port={_httpPort}", new Dictionary<string, string>
        {
            ["RKIF_CLUSTER_PORT"] = AkkaPort.ToString(), ["RKIF_CLUSTER_SEEDS"] = $"127.0.0.1:{AkkaPort}",
            ["RKIF_CLUSTER_ROLES"] = "coordinator,learner", ["RKIF_LEARNER_NAME"] = "only", ["RKIF_GATEWAY_TOKEN"] = Token,
        });
    }

    public int AkkaPort { get; }
    public NodeProcess Node { get; }
    public string CheckpointFolder => Path.Combine(_run.RunFolder, "checkpoints");

    /// <summary>The run's status through the node's HTTP gateway (with the token), or null when it does not answer.</summary>
    public async Task<RunStatus?> Status()
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{_httpPort}{TaskGatewayHttp.StatusRoute}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            using var response = await _http.SendAsync(request);
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<RunStatus>(TaskGatewayHttp.JsonOptions) : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { return null; }
    }

    /// <summary>Waits for a status that satisfies <paramref name="condition"/>; fails the test (with the node's log) past <paramref name="patience"/>.</summary>
    public async Task<RunStatus> WaitFor(Func<RunStatus, bool> condition, string what, TimeSpan patience)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < patience && !Node.HasExited)
        {
            if (await Status() is { } status && condition(status)) return status;
            await Task.Delay(500);
        }
        throw new TimeoutException($"waited {clock.Elapsed.TotalSeconds:F0} s for {what}; node exited: {Node.HasExited}\n{Node.Output}");
    }

    /// <summary>Stops the node (SIGKILL) and reads its journal.</summary>
    public async Task<RunState> KillAndReadJournal()
    {
        Node.Kill();
        return await RunHost.ReadStateAsync(RunConfigurationLoader.Load(_run.ConfigPath));
    }

    public void Dispose()
    {
        Node.Dispose();
        _http.Dispose();
        _run.Dispose();
    }
}

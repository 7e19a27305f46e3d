using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Akka.TestKit;
using RecurrentKif.Actors.Gateway;
using RecurrentKif.Client;
using RecurrentKif.Messages;

namespace RecurrentKif.Actors.Tests.Gateway;

/// <summary>The HTTP endpoint on a free port, in front of a real gateway actor whose coordinator is a probe.</summary>
public sealed class HttpTaskGatewayTests : Akka.TestKit.Xunit2.TestKit, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(500);

    private readonly TaskFolder folder = new();
    private readonly TestProbe coordinator;
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private HttpTaskGateway? endpoint;

    public HttpTaskGatewayTests() => coordinator = CreateTestProbe();

    public async Task InitializeAsync()
    {
        var settings = folder.Settings(TimeSpan.FromSeconds(2));
        var gateway = Sys.ActorOf(TaskGatewayActor.Props(settings, coordinator));
        endpoint = await HttpTaskGateway.StartAsync(settings, gateway, CancellationToken.None);
        http.BaseAddress = endpoint.Url;
        TaskFolder.WriteTask(Path.Combine(folder.DataRoot, "incoming"), "parity");
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        if (endpoint is not null) await endpoint.DisposeAsync();
        folder.Dispose();
    }

    private Task<HttpResponseMessage> Post(string body, string? token = TaskFolder.Token, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/tasks") { Content = new StringContent(body, Encoding.UTF8, contentType) };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http.SendAsync(request);
    }

    private static async Task<GatewayError> Error(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal(expected, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<GatewayError>(TaskGatewayHttp.JsonOptions);
        Assert.False(string.IsNullOrWhiteSpace(error?.Error));
        return error!;
    }

    private const string ValidBody = """{"name": "parity", "source": "incoming"}""";

    [Fact]
    public async Task It_binds_a_free_port_on_loopback_and_answers_health_without_a_token()
    {
        Assert.NotEqual(0, endpoint!.Port);
        Assert.Equal("127.0.0.1", endpoint.Url.Host);
        var response = await http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_port_in_use_is_a_clear_error_that_names_the_setting()
    {
        var settings = folder.Settings() with { HttpPort = endpoint!.Port };
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => HttpTaskGateway.StartAsync(settings, TestActor, CancellationToken.None));
        Assert.Contains($"cannot listen on 127.0.0.1:{endpoint.Port} (rkif.gateway.http)", error.Message);
    }

    [Fact]
    public async Task Missing_or_wrong_tokens_get_401_and_nothing_reaches_the_coordinator()
    {
        foreach (string? token in new[] { null, "", "wrong-token-0123456789abcdef" })
        {
            var response = await Post(ValidBody, token);
            var error = await Error(response, HttpStatusCode.Unauthorized);
            Assert.Equal(SubmissionRefusal.Unauthenticated, error.Refusal);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        }
        var basic = new HttpRequestMessage(HttpMethod.Post, "/tasks") { Content = new StringContent(ValidBody, Encoding.UTF8, "application/json") };
        basic.Headers.Authorization = new AuthenticationHeaderValue("Basic", TaskFolder.Token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(basic)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/status")).StatusCode);
        coordinator.ExpectNoMsg(Quiet);
    }

    [Fact]
    public async Task Malformed_bodies_get_400_415_or_413_and_nothing_reaches_the_coordinator()
    {
        Assert.Contains("not a valid submission", (await Error(await Post("{\"name\": \"parity\", "), HttpStatusCode.BadRequest)).Error);
        Assert.Contains("field 'source' is missing", (await Error(await Post("""{"name": "parity"}"""), HttpStatusCode.BadRequest)).Error);
        Assert.Contains("sourse", (await Error(await Post("""{"name": "parity", "source": "incoming", "sourse": "x"}"""), HttpStatusCode.BadRequest)).Error);
        Assert.Contains("not a valid submission", (await Error(await Post("[1, 2]"), HttpStatusCode.BadRequest)).Error);
        Assert.Contains("application/json", (await Error(await Post(ValidBody, contentType: "text/plain"), HttpStatusCode.UnsupportedMediaType)).Error);
        // Expect: 100-continue (as curl sends for large bodies): the gateway answers 413 from the Content-Length without
        // reading the body, and the client never sends it; without it the client could see a reset mid-upload.
        string huge = $$"""{"name": "parity", "source": "{{new string('a', HttpTaskGateway.MaxBodyBytes)}}"}""";
        var tooLarge = new HttpRequestMessage(HttpMethod.Post, "/tasks") { Content = new StringContent(huge, Encoding.UTF8, "application/json") };
        tooLarge.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TaskFolder.Token);
        tooLarge.Headers.ExpectContinue = true;
        await Error(await http.SendAsync(tooLarge), HttpStatusCode.RequestEntityTooLarge);
        // Well-formed but invalid: the validator's message comes back as a 400.
        var escape = await Error(await Post("""{"name": "parity", "source": "../outside"}"""), HttpStatusCode.BadRequest);
        Assert.Contains("outside the data root", escape.Error);
        coordinator.ExpectNoMsg(Quiet);
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_gets_413()
    {
        // Just over the limit, so the client has sent it all (loopback buffers) by the time the gateway stops reading.
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes($$"""{"name": "{{new string('a', HttpTaskGateway.MaxBodyBytes + 100)}}"}""")));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/tasks") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TaskFolder.Token);
        await Error(await http.SendAsync(request), HttpStatusCode.RequestEntityTooLarge);
        coordinator.ExpectNoMsg(Quiet);
    }

    [Fact]
    public async Task A_valid_submission_gets_202_with_its_index_and_a_second_one_409()
    {
        var pending = Post(ValidBody);
        Assert.Equal(new QueueTask("parity", Path.Combine(folder.DataRoot, "incoming")), coordinator.ExpectMsg<QueueTask>(Patience));
        coordinator.Reply(TaskSubmissionResult.Queued("parity", 3));
        var response = await pending;
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(new TaskSubmissionAccepted("parity", 3), await response.Content.ReadFromJsonAsync<TaskSubmissionAccepted>(TaskGatewayHttp.JsonOptions));

        pending = Post(ValidBody);
        coordinator.ExpectMsg<QueueTask>(Patience);
        coordinator.Reply(TaskSubmissionResult.Refused("parity", SubmissionRefusal.Duplicate, "the run already has a task named 'parity'"));
        var duplicate = await Error(await pending, HttpStatusCode.Conflict);
        Assert.Equal(SubmissionRefusal.Duplicate, duplicate.Refusal);
    }

    [Fact]
    public async Task A_silent_coordinator_gets_503_for_submissions_and_status()
    {
        var pending = Post(ValidBody);
        coordinator.ExpectMsg<QueueTask>(Patience);
        var response = await pending;
        Assert.Equal(SubmissionRefusal.Unavailable, (await Error(response, HttpStatusCode.ServiceUnavailable)).Refusal);
        Assert.NotNull(response.Headers.RetryAfter);

        var request = new HttpRequestMessage(HttpMethod.Get, "/status");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TaskFolder.Token);
        var status = http.SendAsync(request);
        coordinator.ExpectMsg<GetRunStatus>(Patience);
        Assert.Contains("did not answer", (await Error(await status, HttpStatusCode.ServiceUnavailable)).Error);
    }

    [Fact]
    public async Task The_client_library_round_trips_status_and_submissions_over_http()
    {
        using var client = new HttpTaskSubmissionClient(endpoint!.Url);
        var status = client.StatusAsync(TaskFolder.Token, Patience);
        coordinator.ExpectMsg<GetRunStatus>(Patience);
        var sample = TaskGatewayActorTests.SampleStatus();
        coordinator.Reply(sample);
        var received = await status;
        Assert.Equal((sample.RunId, sample.CurrentTask, sample.Phase, sample.Step, sample.TotalSteps, sample.LastCheckpoint, sample.Finished, sample.CoordinatorNode),
            (received.RunId, received.CurrentTask, received.Phase, received.Step, received.TotalSteps, received.LastCheckpoint, received.Finished, received.CoordinatorNode));
        Assert.Equal(sample.TaskNames, received.TaskNames);
        Assert.Equal(sample.AccuracyRows[0], received.AccuracyRows[0]);
        Assert.Equal(sample.Learners, received.Learners);

        var submitted = client.SubmitAsync("parity", "incoming", TaskFolder.Token, Patience);
        coordinator.ExpectMsg<QueueTask>(Patience);
        coordinator.Reply(TaskSubmissionResult.Queued("parity", 2));
        Assert.Equal(TaskSubmissionResult.Queued("parity", 2), await submitted);

        var refused = await client.SubmitAsync("parity", "../outside", TaskFolder.Token, Patience);
        Assert.Equal(SubmissionRefusal.Invalid, refused.Refusal);
        Assert.Contains("outside the data root", refused.Error);
        Assert.Equal(SubmissionRefusal.Unauthenticated, (await client.SubmitAsync("parity", "incoming", "nope-nope-nope-nope", Patience)).Refusal);
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.StatusAsync("nope-nope-nope-nope", Patience));
        coordinator.ExpectNoMsg(Quiet);
    }
}

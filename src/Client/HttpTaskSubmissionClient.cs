using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using RecurrentKif.Messages;

namespace RecurrentKif.Client;

/// <summary>
/// The same submissions over the cluster's HTTP endpoint (rkif.gateway.http.port), for callers that cannot reach the
/// Akka port. HTTP answers are mapped back onto <see cref="TaskSubmissionResult"/>.
/// </summary>
public sealed class HttpTaskSubmissionClient : IDisposable
{
    private readonly HttpClient http;

    /// <param name="baseUrl">The gateway, e.g. http://127.0.0.1:8080.</param>
    public HttpTaskSubmissionClient(Uri baseUrl)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        if (!baseUrl.IsAbsoluteUri || baseUrl.Scheme is not ("http" or "https"))
            throw new ArgumentException($"'{baseUrl}' is not an http(s) URL like http://127.0.0.1:8080", nameof(baseUrl));
        // Timeouts are per call (the callers' argument), not the client's 100 s default.
        http = new HttpClient { BaseAddress = baseUrl, Timeout = Timeout.InfiniteTimeSpan };
    }

    public async Task<TaskSubmissionResult> SubmitAsync(string name, string source, string token, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, TaskGatewayHttp.TasksRoute)
        {
            Content = JsonContent.Create(new TaskSubmissionRequest(name, source), options: TaskGatewayHttp.JsonOptions),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        try
        {
            using var response = await http.SendAsync(request, cancel.Token).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                var accepted = await response.Content.ReadFromJsonAsync<TaskSubmissionAccepted>(TaskGatewayHttp.JsonOptions, cancel.Token).ConfigureAwait(false);
                return TaskSubmissionResult.Queued(accepted?.Name ?? name, accepted?.TaskIndex ?? -1);
            }
            var (error, refusal) = await ReadError(response, cancel.Token).ConfigureAwait(false);
            return TaskSubmissionResult.Refused(name, refusal ?? RefusalOf(response.StatusCode), error);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            string why = e is OperationCanceledException ? $"no answer within {timeout.TotalSeconds:0.#} s" : e.Message;
            return TaskSubmissionResult.Refused(name, SubmissionRefusal.Unavailable, $"{http.BaseAddress}{TaskGatewayHttp.TasksRoute[1..]}: {why}");
        }
    }

    /// <exception cref="InvalidOperationException">The gateway refused (its status code and error are in the message).</exception>
    /// <exception cref="TimeoutException">No answer in time.</exception>
    public async Task<RunStatus> StatusAsync(string token, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, TaskGatewayHttp.StatusRoute);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        try
        {
            using var response = await http.SendAsync(request, cancel.Token).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.OK)
                return await response.Content.ReadFromJsonAsync<RunStatus>(TaskGatewayHttp.JsonOptions, cancel.Token).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"{http.BaseAddress}: GET {TaskGatewayHttp.StatusRoute} answered an empty body");
            var (error, _) = await ReadError(response, cancel.Token).ConfigureAwait(false);
            throw new InvalidOperationException($"{http.BaseAddress}: GET {TaskGatewayHttp.StatusRoute} answered {(int)response.StatusCode} {response.StatusCode}: {error}");
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{http.BaseAddress}: no status within {timeout.TotalSeconds:0.#} s");
        }
    }

    public void Dispose() => http.Dispose();

    private static async Task<(string Error, SubmissionRefusal? Refusal)> ReadError(HttpResponseMessage response, CancellationToken cancel)
    {
        string body = await response.Content.ReadAsStringAsync(cancel).ConfigureAwait(false);
        try
        {
            var error = JsonSerializer.Deserialize<GatewayError>(body, TaskGatewayHttp.JsonOptions);
            if (error is not null) return (error.Error, error.Refusal);
        }
        catch (JsonException)
        {
            // Not the gateway's JSON (a proxy's error page?): report the status and the start of the body.
        }
        string shown = body.Length > 200 ? body[..200] + "…" : body;
        return ($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}{(shown.Length > 0 ? ": " + shown : "")}", null);
    }

    private static SubmissionRefusal RefusalOf(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => SubmissionRefusal.Unauthenticated,
        HttpStatusCode.Conflict => SubmissionRefusal.Duplicate,
        HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout => SubmissionRefusal.Unavailable,
        _ => SubmissionRefusal.Invalid,
    };
}

using System.Net;
using System.Text.Json;
using Akka.Actor;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using RecurrentKif.Messages;
using Serilog;

namespace RecurrentKif.Actors.Gateway;

/// <summary>
/// The task gateway over HTTP for services that do not speak Akka (ASP.NET Core minimal API on Kestrel):
/// <c>POST /tasks</c> (bearer token, JSON <see cref="TaskSubmissionRequest"/>), <c>GET /status</c> (bearer token) and
/// <c>GET /health</c> (no token; the node's liveness, readiness and journal checks, see <see cref="HealthEndpoint"/>).
/// Submissions go to the <see cref="TaskGatewayActor"/> with the token they came with, so HTTP and ClusterClient callers
/// pass the same validation. Status codes: 202 queued, 400 malformed or invalid, 401 token,
/// 409 duplicate, 413 body too large, 415 not JSON, 503 coordinator unavailable (retry).
/// </summary>
public sealed class HttpTaskGateway : IAsyncDisposable
{
    /// <summary>A submission is a name and a folder; anything near this size is not one.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>How long a submission may take to validate (task files up to max-task-file-bytes) on top of the coordinator's ask-timeout.</summary>
    private static readonly TimeSpan ValidationAllowance = TimeSpan.FromMinutes(2);

    private static readonly Serilog.ILogger Logger = Log.ForContext<HttpTaskGateway>();

    private readonly WebApplication app;

    private HttpTaskGateway(WebApplication app, Uri url) => (this.app, Url) = (app, url);

    /// <summary>The address Kestrel bound, e.g. http://127.0.0.1:41234 (the real port when the settings asked for 0).</summary>
    public Uri Url { get; }

    public int Port => Url.Port;

    /// <summary>
    /// Listens on <see cref="GatewaySettings.HttpBind"/>:<see cref="GatewaySettings.HttpPort"/>; port 0 takes a free port
    /// (tests). A node starts this only when rkif.gateway.http.port is above 0.
    /// </summary>
    /// <param name="health">The node's health checks behind <c>GET /health</c>; null (a gateway outside a node) answers Healthy.</param>
    public static async Task<HttpTaskGateway> StartAsync(GatewaySettings settings, IActorRef gateway, CancellationToken cancellationToken,
        HealthCheckService? health = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(gateway);
        // The empty builder reads no appsettings.json, environment (ASPNETCORE_URLS …) or command line: this endpoint is
        // configured by rkif.gateway alone. No logging providers either: what matters is logged here through Serilog.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Services.AddRoutingCore();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxBodyBytes;
            kestrel.Listen(IPAddress.Parse(settings.HttpBind), settings.HttpPort);
        });
        var app = builder.Build();
        var endpoints = new Endpoints(settings, gateway);
        app.MapPost(TaskGatewayHttp.TasksRoute, endpoints.SubmitAsync);
        app.MapGet(TaskGatewayHttp.StatusRoute, endpoints.StatusAsync);
        var healthEndpoint = new HealthEndpoint(health);
        app.MapGet(TaskGatewayHttp.HealthRoute, healthEndpoint.AllAsync);
        app.MapGet(TaskGatewayHttp.LivenessRoute, healthEndpoint.LiveAsync);
        app.MapGet(TaskGatewayHttp.ReadinessRoute, healthEndpoint.ReadyAsync);

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException(
                $"the HTTP task gateway cannot listen on {settings.HttpBind}:{settings.HttpPort} (rkif.gateway.http): {e.Message}", e);
        }
        string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        var url = new Uri(address);
        Logger.Information("HTTP task gateway listening on {Url}{TokenState}", url, settings.HasToken ? "" : " (no token set: every request is refused)");
        return new HttpTaskGateway(app, url);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The route handlers; each answers with a status code and a JSON body that says what is wrong.</summary>
    private sealed class Endpoints(GatewaySettings settings, IActorRef gateway)
    {
        private readonly GatewayToken token = new(settings.Token);

        public async Task SubmitAsync(HttpContext context)
        {
            // Authentication first: a caller without the token learns nothing, not even whether its body parses.
            if (!Authenticate(context, out string presented)) { await RefuseUnauthenticated(context); return; }
            if (!context.Request.HasJsonContentType())
            {
                await Answer(context, StatusCodes.Status415UnsupportedMediaType,
                    new GatewayError($"POST {TaskGatewayHttp.TasksRoute} takes Content-Type: application/json, got '{context.Request.ContentType ?? "none"}'", SubmissionRefusal.Invalid));
                return;
            }
            if (context.Request.ContentLength > MaxBodyBytes) { await RefuseTooLarge(context); return; }

            TaskSubmissionRequest? request;
            try
            {
                request = await JsonSerializer.DeserializeAsync<TaskSubmissionRequest>(context.Request.Body, TaskGatewayHttp.JsonOptions, context.RequestAborted);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                await RefuseTooLarge(context); // a chunked body that outgrew the limit while being read
                return;
            }
            catch (JsonException e)
            {
                await RefuseMalformed(context, $"the body is not a valid submission: {e.Message} Expected {{\"name\": \"…\", \"source\": \"…\"}}");
                return;
            }
            if (request is null || request.Name is null || request.Source is null)
            {
                string missing = request is null ? "the body is null" : request.Name is null ? "field 'name' is missing" : "field 'source' is missing";
                await RefuseMalformed(context, $"{missing}; expected {{\"name\": \"…\", \"source\": \"…\"}}");
                return;
            }

            TaskSubmissionResult result;
            try
            {
                result = await gateway.Ask<TaskSubmissionResult>(new SubmitTask(request.Name, request.Source, presented),
                    settings.AskTimeout + ValidationAllowance, context.RequestAborted);
            }
            catch (AskTimeoutException)
            {
                result = TaskSubmissionResult.Refused(request.Name, SubmissionRefusal.Unavailable, "the task gateway did not answer in time; retry later");
            }
            if (result.Accepted)
            {
                await Answer(context, StatusCodes.Status202Accepted, new TaskSubmissionAccepted(result.Name, result.TaskIndex ?? -1));
                return;
            }
            int status = result.Refusal switch
            {
                SubmissionRefusal.Unauthenticated => StatusCodes.Status401Unauthorized,
                SubmissionRefusal.Duplicate => StatusCodes.Status409Conflict,
                SubmissionRefusal.Unavailable => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status400BadRequest,
            };
            if (status == StatusCodes.Status401Unauthorized) context.Response.Headers.WWWAuthenticate = "Bearer";
            if (status == StatusCodes.Status503ServiceUnavailable) context.Response.Headers.RetryAfter = "5";
            await Answer(context, status, new GatewayError(result.Error ?? result.Refusal.ToString(), result.Refusal));
        }

        public async Task StatusAsync(HttpContext context)
        {
            if (!Authenticate(context, out _)) { await RefuseUnauthenticated(context); return; }
            try
            {
                var status = await gateway.Ask<RunStatus>(new GetRunStatus(), settings.AskTimeout + TimeSpan.FromSeconds(5), context.RequestAborted);
                await Answer(context, StatusCodes.Status200OK, status);
            }
            catch (Exception e) when (e is AskTimeoutException or TimeoutException or InvalidOperationException)
            {
                // The gateway actor turns a silent coordinator into a failure; either way the caller may retry.
                context.Response.Headers.RetryAfter = "5";
                await Answer(context, StatusCodes.Status503ServiceUnavailable, new GatewayError(e.Message, SubmissionRefusal.Unavailable));
            }
        }

        private bool Authenticate(HttpContext context, out string presented)
        {
            string header = context.Request.Headers.Authorization.ToString();
            const string scheme = "Bearer ";
            presented = header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? header[scheme.Length..].Trim() : "";
            return token.Matches(presented);
        }

        private static Task RefuseUnauthenticated(HttpContext context)
        {
            Logger.Warning("HTTP task gateway: {Method} {Path} from {Remote} refused: missing or wrong bearer token",
                context.Request.Method, context.Request.Path.Value, context.Connection.RemoteIpAddress);
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return Answer(context, StatusCodes.Status401Unauthorized,
                new GatewayError("missing or wrong bearer token (Authorization: Bearer <rkif.gateway.token>)", SubmissionRefusal.Unauthenticated));
        }

        private static Task RefuseTooLarge(HttpContext context) => Answer(context, StatusCodes.Status413PayloadTooLarge,
            new GatewayError($"the body is over {MaxBodyBytes} bytes; a submission is a task name and a folder, the task files stay under the data root", SubmissionRefusal.Invalid));

        private static Task RefuseMalformed(HttpContext context, string error)
        {
            Logger.Warning("HTTP task gateway: malformed submission from {Remote}: {Error}", context.Connection.RemoteIpAddress, error);
            return Answer(context, StatusCodes.Status400BadRequest, new GatewayError(error, SubmissionRefusal.Invalid));
        }

        private static Task Answer<T>(HttpContext context, int status, T body)
        {
            context.Response.StatusCode = status;
            return context.Response.WriteAsJsonAsync(body, TaskGatewayHttp.JsonOptions, context.RequestAborted);
        }
    }
}

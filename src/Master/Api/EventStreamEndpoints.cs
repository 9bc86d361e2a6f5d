using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Orchestrator.Master.Events;
using Orchestrator.Master.ExternalAuth;
using Orchestrator.Shared.Targeting;

namespace Orchestrator.Master.Api;

/// <summary>
/// <c>GET /events</c>: the master's event bus as server-sent events, framed as rest_cherrypy frames them (<c>retry: 400</c>,
/// then <c>tag: TAG</c> and <c>data: {"tag", "data"}</c> per event). The token may come in the query (<c>?token=</c> or
/// <c>?salt_token=</c>), since a browser's EventSource sends no headers; the stream ends when the token expires or is
/// logged out. <c>?tag=GLOB</c> (ours) sends only events whose tag matches.
/// </summary>
public sealed class EventStreamEndpoints(ApiAuth auth, EventBus events, ApiLifetime lifetime, TimeProvider time, ILogger<EventStreamEndpoints> logger)
    : IApiEndpoints
{
    /// <summary>How often a long stream checks that its token still exists (a logout ends it).</summary>
    public static readonly TimeSpan Recheck = TimeSpan.FromSeconds(5);

    public void Map(IEndpointRouteBuilder app) => app.MapGet("/events", ApiResponder.Handle(StreamAsync, logger));

    private async Task<ApiResult> StreamAsync(HttpContext context)
    {
        var presented = context.Request.Query["salt_token"].FirstOrDefault() is { Length: > 0 } salt ? salt : ApiAuth.TokenOf(context, allowQuery: true);
        var token = auth.Require(context, presented);
        var filter = TagFilter(context.Request.Query["tag"].FirstOrDefault());
        using var subscription = events.Subscribe(filter);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.Stopping);
        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        // Proxies that buffer (nginx) would hold the stream back.
        response.Headers["X-Accel-Buffering"] = "no";
        ApiLog.StreamOpened(logger, "sse", token.Name, ApiAuth.ClientOf(context));
        var reason = "client gone";
        try
        {
            await response.WriteAsync("retry: 400\n", stop.Token).ConfigureAwait(false);
            await response.Body.FlushAsync(stop.Token).ConfigureAwait(false);
            var watch = new TokenWatch(auth, token, time);
            var reported = 0L;
            var batch = new StringBuilder();
            while (await subscription.Reader.WaitToReadAsync(stop.Token).ConfigureAwait(false))
            {
                if (!watch.StillValid())
                {
                    reason = "token expired or logged out";
                    break;
                }
                batch.Clear();
                while (batch.Length < 256 * 1024 && subscription.Reader.TryRead(out var e))
                {
                    batch.Append("tag: ").Append(e.Tag).Append('\n').Append("data: ").Append(EventJson.Of(e)).Append("\n\n");
                }
                if (subscription.Dropped > reported)
                {
                    reported = subscription.Dropped;
                    ApiLog.StreamDropped(logger, token.Name, reported);
                }
                await response.WriteAsync(batch.ToString(), stop.Token).ConfigureAwait(false);
                await response.Body.FlushAsync(stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            reason = lifetime.Stopping.IsCancellationRequested ? "master stopping" : "client gone";
        }
        catch (IOException)
        {
            reason = "client gone";
        }
        ApiLog.StreamClosed(logger, "sse", token.Name, reason);
        return ApiResult.Written;
    }

    /// <summary>A tag glob filter; none (or <c>*</c>) passes every event.</summary>
    public static Func<string, bool> TagFilter(string? glob)
    {
        if (string.IsNullOrEmpty(glob) || glob == "*")
        {
            return _ => true;
        }
        var match = FnMatch.Compile(glob);
        return match.IsMatch;
    }
}

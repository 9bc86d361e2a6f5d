using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Orchestrator.Master.Events;
using Orchestrator.Master.ExternalAuth;
using Orchestrator.Master.Jobs;

namespace Orchestrator.Master.Api;

/// <summary>
/// <c>GET /ws/{token}</c> (or <c>/ws</c> with the <c>X-Auth-Token</c> header): the event bus over a websocket, as
/// rest_cherrypy's: the server answers every text message with <c>server received message</c>, and starts sending
/// events once the client has sent <c>websocket client ready</c> (the answer to that one means the subscription is live).
/// Each event is a text message <c>data: {"tag", "data"}\n\n</c>, or with <c>?format_events</c> the
/// <see cref="SaltInfoFormatter"/> view. The socket closes when the token expires or is logged out, or the master stops.
/// </summary>
public sealed class WebSocketEndpoint(
    ApiAuth auth, EventBus events, MinionDirectory minions, ApiLifetime lifetime, TimeProvider time, ILogger<WebSocketEndpoint> logger)
    : IApiEndpoints
{
    public const string Ready = "websocket client ready";
    public const string Received = "server received message";

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/ws", ApiResponder.Handle(context => ServeAsync(context, ApiAuth.TokenOf(context, allowQuery: false)), logger));
        app.MapGet("/ws/{token}", ApiResponder.Handle(context => ServeAsync(context, (string)context.Request.RouteValues["token"]!), logger));
    }

    private async Task<ApiResult> ServeAsync(HttpContext context, string? presented)
    {
        var token = auth.Require(context, presented);
        if (!context.WebSockets.IsWebSocketRequest)
        {
            throw ApiException.BadRequest("This URL is a websocket: connect with an Upgrade: websocket request");
        }
        var formatted = context.Request.Query.ContainsKey("format_events");
        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.Stopping);
        ApiLog.StreamOpened(logger, "websocket", token.Name, ApiAuth.ClientOf(context));
        var session = new Session(socket, stop);
        var receiving = ReceiveAsync(session);
        var reason = "client closed";
        try
        {
            await session.ReadyTask.WaitAsync(stop.Token).ConfigureAwait(false);
            reason = await SendEventsAsync(session, session.Subscription!, token, formatted).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            reason = lifetime.Stopping.IsCancellationRequested ? "master stopping" : "client gone";
        }
        catch (Exception e) when (e is WebSocketException or IOException)
        {
            reason = "client gone";
        }
        await stop.CancelAsync().ConfigureAwait(false);
        await CloseAsync(socket, reason).ConfigureAwait(false);
        try
        {
            await receiving.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException)
        {
            // The socket is done either way.
        }
        // After the reader ended: it is the one that subscribes.
        session.Subscription?.Dispose();
        ApiLog.StreamClosed(logger, "websocket", token.Name, reason);
        return ApiResult.Written;
    }

    private async Task<string> SendEventsAsync(Session session, EventSubscription subscription, EauthToken token, bool formatted)
    {
        var watch = new TokenWatch(auth, token, time);
        var view = formatted ? new SaltInfoFormatter(minions.Grains) : null;
        var reported = 0L;
        while (await subscription.Reader.WaitToReadAsync(session.Stop.Token).ConfigureAwait(false))
        {
            while (subscription.Reader.TryRead(out var e))
            {
                if (!watch.StillValid())
                {
                    return "token expired or logged out";
                }
                if (view is null)
                {
                    await session.SendAsync("data: " + EventJson.Of(e) + "\n\n").ConfigureAwait(false);
                    continue;
                }
                foreach (var message in view.Process(e.Tag, e.Data))
                {
                    await session.SendAsync(message).ConfigureAwait(false);
                }
            }
            if (subscription.Dropped > reported)
            {
                reported = subscription.Dropped;
                ApiLog.StreamDropped(logger, token.Name, reported);
            }
        }
        return "subscription ended";
    }

    /// <summary>Reads the client's messages: answers each, subscribes at the ready message, ends at close.</summary>
    private async Task ReceiveAsync(Session session)
    {
        try
        {
            var buffer = new byte[4096];
            var text = new StringBuilder();
            while (session.Socket.State == WebSocketState.Open)
            {
                var received = await session.Socket.ReceiveAsync(buffer, session.Stop.Token).ConfigureAwait(false);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
                if (text.Length < 64 * 1024)
                {
                    text.Append(Encoding.UTF8.GetString(buffer, 0, received.Count));
                }
                if (!received.EndOfMessage)
                {
                    continue;
                }
                if (text.ToString() == Ready && session.Subscription is null)
                {
                    // Subscribed before the answer, so a client that waits for the answer misses nothing it fires next.
                    session.Subscription = events.Subscribe(_ => true);
                    await session.SendAsync(Received).ConfigureAwait(false);
                    session.MarkReady();
                }
                else
                {
                    await session.SendAsync(Received).ConfigureAwait(false);
                }
                text.Clear();
            }
        }
        finally
        {
            // However the reading ends, the sending ends with it.
            await session.Stop.CancelAsync().ConfigureAwait(false);
        }
    }

    private static async Task CloseAsync(WebSocket socket, string reason)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, reason, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // The peer is gone.
        }
    }

    /// <summary>One connection: its socket, a send lock (answers and events share the socket) and the ready handshake.</summary>
    private sealed class Session(WebSocket socket, CancellationTokenSource stop)
    {
        private readonly SemaphoreSlim _send = new(1, 1);
        private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public WebSocket Socket { get; } = socket;

        public CancellationTokenSource Stop { get; } = stop;

        public EventSubscription? Subscription { get; set; }

        public Task ReadyTask => _ready.Task;

        public void MarkReady() => _ready.TrySetResult();

        public async Task SendAsync(string message)
        {
            var bytes = Encoding.UTF8.GetBytes(message);
            await _send.WaitAsync(Stop.Token).ConfigureAwait(false);
            try
            {
                await Socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, Stop.Token).ConfigureAwait(false);
            }
            finally
            {
                _send.Release();
            }
        }
    }
}

using System.Net;
using System.Net.WebSockets;
using System.Text;
using Orchestrator.Shared.Data;

namespace Orchestrator.Integration.Tests.Api;

/// <summary>
/// Scenario: a client watches the event bus through the API while it starts a job through the API, and sees the job's
/// return arrive: over server-sent events (GET /events, rest_cherrypy's framing), over the websocket (GET /ws/{token},
/// after the "websocket client ready" handshake), and over the websocket with format_events (SaltInfo's jobs view).
/// </summary>
[Trait("Category", "Integration")]
[Collection("cluster")]
public sealed class ApiEventStreamTests(ApiClusterFixture fixture) : IClassFixture<ApiClusterFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private ApiCluster Api => fixture.Api;

    private async Task<string> StartPingAsync(string minion)
    {
        var started = (Dictionary<string, object?>)(await Api.RunAsync(fixture.AdminToken, new()
        {
            ["client"] = "local_async",
            ["tgt"] = minion,
            ["fun"] = "test.ping",
        }))!;
        return (string)started["jid"]!;
    }

    [Fact]
    public async Task Sse_CarriesTheJobsReturn_InRestCherrypysFraming()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/events?token={fixture.AdminToken}");
        using var response = await Api.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        using var timeout = new CancellationTokenSource(Wait);
        // The stream subscribes before it writes its first line: once it is read, nothing fired after is missed.
        Assert.Equal("retry: 400", await reader.ReadLineAsync(timeout.Token));

        var jid = await StartPingAsync("web1");

        var wanted = $"salt/job/{jid}/ret/web1";
        string? line;
        while ((line = await reader.ReadLineAsync(timeout.Token)) != $"tag: {wanted}")
        {
            Assert.NotNull(line);
        }
        var data = await reader.ReadLineAsync(timeout.Token);
        Assert.StartsWith("data: ", data);
        var e = (Dictionary<string, object?>)DataTree.FromJson(data!["data: ".Length..])!;
        Assert.Equal(wanted, e["tag"]);
        Assert.Equal(true, ((Dictionary<string, object?>)e["data"]!)["return"]);
        Assert.Equal("", await reader.ReadLineAsync(timeout.Token));
    }

    [Fact]
    public async Task Sse_TagGlob_SendsOnlyMatchingEvents()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/events?tag=salt/job/*/ret/db1");
        request.Headers.Add("X-Auth-Token", fixture.AdminToken);
        using var response = await Api.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        using var timeout = new CancellationTokenSource(Wait);
        Assert.Equal("retry: 400", await reader.ReadLineAsync(timeout.Token));

        var jid = await StartPingAsync("*");

        var first = await reader.ReadLineAsync(timeout.Token);
        Assert.Equal($"tag: salt/job/{jid}/ret/db1", first);
    }

    [Fact]
    public async Task WebSocket_AfterReady_CarriesTheJobsReturn()
    {
        using var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(Wait);
        await socket.ConnectAsync(WebSocketUri($"/ws/{fixture.AdminToken}"), timeout.Token);
        await SendAsync(socket, "websocket client ready", timeout.Token);
        Assert.Equal("server received message", await ReceiveAsync(socket, timeout.Token));

        var jid = await StartPingAsync("web2");

        var wanted = $"salt/job/{jid}/ret/web2";
        Dictionary<string, object?> e;
        do
        {
            var message = await ReceiveAsync(socket, timeout.Token);
            Assert.StartsWith("data: ", message);
            Assert.EndsWith("\n\n", message);
            e = (Dictionary<string, object?>)DataTree.FromJson(message["data: ".Length..])!;
        }
        while ((string)e["tag"]! != wanted);
        Assert.Equal(true, ((Dictionary<string, object?>)e["data"]!)["return"]);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
    }

    [Fact]
    public async Task WebSocket_FormatEvents_SendsTheJobsView()
    {
        using var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(Wait);
        socket.Options.SetRequestHeader("X-Auth-Token", fixture.AdminToken);
        await socket.ConnectAsync(WebSocketUri("/ws?format_events"), timeout.Token);
        await SendAsync(socket, "websocket client ready", timeout.Token);
        Assert.Equal("server received message", await ReceiveAsync(socket, timeout.Token));

        var jid = await StartPingAsync("db1");

        while (true)
        {
            var view = (Dictionary<string, object?>)DataTree.FromJson(await ReceiveAsync(socket, timeout.Token))!;
            if (view.GetValueOrDefault("jobs") is Dictionary<string, object?> jobs && jobs.GetValueOrDefault(jid) is Dictionary<string, object?> job
                && job["state"] is "complete")
            {
                Assert.Equal("test.ping", job["fun"]);
                var db1 = (Dictionary<string, object?>)((Dictionary<string, object?>)job["minions"]!)["db1"]!;
                Assert.Equal(true, db1["return"]);
                break;
            }
        }
    }

    [Fact]
    public async Task WebSocket_ForgedToken_RefusedBeforeTheUpgrade()
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(WebSocketUri($"/ws/{new string('b', 64)}"), CancellationToken.None));

        Assert.Equal(HttpStatusCode.Unauthorized, socket.HttpStatusCode);
    }

    [Fact]
    public async Task WebSocket_EveryMessageIsAnswered_NothingSentBeforeReady()
    {
        using var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(Wait);
        await socket.ConnectAsync(WebSocketUri($"/ws/{fixture.AdminToken}"), timeout.Token);

        using (var returns = Api.Cluster.MasterService<Orchestrator.Master.Events.EventBus>().Subscribe(tag => tag.Contains("/ret/web1", StringComparison.Ordinal)))
        {
            await StartPingAsync("web1");
            await Orchestrator.Testing.TestCluster.WaitForEventAsync(returns, "the return of web1");
        }
        await SendAsync(socket, "hello", timeout.Token);

        // The job's events are on the bus already: had they been sent before "ready", one would be read here.
        Assert.Equal("server received message", await ReceiveAsync(socket, timeout.Token));
    }

    private Uri WebSocketUri(string path) => new UriBuilder(new Uri(Api.Address, path)) { Scheme = Api.Address.Scheme == "https" ? "wss" : "ws" }.Uri;

    private static Task SendAsync(ClientWebSocket socket, string text, CancellationToken cancellationToken) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cancellationToken);

    private static async Task<string> ReceiveAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, cancellationToken);
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);
        return Encoding.UTF8.GetString(message.ToArray());
    }
}

using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Orchestrator.Master.Events;
using Orchestrator.Master.ExternalAuth;
using Orchestrator.Master.Hosting;
using Orchestrator.Master.Jobs;
using Orchestrator.Master.Keys;
using Orchestrator.Master.Runners;
using Orchestrator.Shared.Data;
using Orchestrator.Shared.Ipc;
using Orchestrator.Shared.Protocol.Messages;

namespace Orchestrator.Master.Ipc;

/// <summary>
/// The CLI's way in: a unix socket (mode 0600, in a 0700 directory) that only the master's user can open; no network
/// exposure. With a <c>publisher_acl</c> other local users may connect, and <see cref="IpcAuthorizer"/> decides each request
/// by the peer's uid.
/// </summary>
public sealed class IpcServer(
    MasterOptions options, JobDispatcher jobs, KeyManager keys, RunnerInvoker runners, EventBus events, JobReturnCollector collector,
    IpcAuthorizer authorizer, ILogger<IpcServer> logger)
{
    private Socket? _listener;

    public void Start()
    {
        var socketMode = authorizer.PrepareSocketDirectory(options.SockDir, options.SocketPath);
        if (File.Exists(options.SocketPath))
        {
            File.Delete(options.SocketPath);
        }
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(options.SocketPath));
        File.SetUnixFileMode(options.SocketPath, socketMode);
        _listener.Listen(64);
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener!.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            _ = Task.Run(() => ServeAsync(client, cancellationToken), cancellationToken);
        }
    }

    public void Stop()
    {
        _listener?.Dispose();
        try
        {
            File.Delete(options.SocketPath);
        }
        catch (IOException)
        {
            // Already gone.
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken cancellationToken)
    {
        await using var stream = new NetworkStream(client, ownsSocket: true);
        if (authorizer.Identify(client) is not { } caller)
        {
            return;
        }
        while (!cancellationToken.IsCancellationRequested)
        {
            Dictionary<string, object?>? request;
            try
            {
                request = await IpcFraming.ReadAsync(stream, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or Shared.Protocol.WireFormatException or OperationCanceledException)
            {
                return;
            }
            if (request is null)
            {
                return;
            }
            var op = request.GetValueOrDefault("op") as string ?? "";
            // Who asks is the kernel's answer, never the request's "user" field.
            request["user"] = caller.Name;
            if (authorizer.Authorize(caller, op, request) is { } refusal)
            {
                await Send(stream, new() { ["error"] = refusal }, cancellationToken).ConfigureAwait(false);
                continue;
            }
            try
            {
                await HandleAsync(stream, op, request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or Shared.Targeting.TargetException)
            {
                await Send(stream, new() { ["error"] = e.Message }, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e) when (e is not (FileNotFoundException or DirectoryNotFoundException or FileLoadException))
            {
                // The caller went away mid-answer. A missing file or assembly is the master's failure, reported below.
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                MasterLog.IpcFailed(logger, e, op);
                await Send(stream, new() { ["error"] = $"{op} failed: {e.Message}" }, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static Task Send(Stream stream, Dictionary<string, object?> message, CancellationToken cancellationToken) =>
        IpcFraming.WriteAsync(stream, message, cancellationToken);

    private async Task HandleAsync(Stream stream, string op, Dictionary<string, object?> request, CancellationToken cancellationToken)
    {
        switch (op)
        {
            case "ping":
                await Send(stream, new() { ["version"] = typeof(IpcServer).Assembly.GetName().Version?.ToString() }, cancellationToken)
                    .ConfigureAwait(false);
                break;
            case "publish":
                await PublishAsync(stream, request, cancellationToken).ConfigureAwait(false);
                break;
            case "expected":
                var minions = jobs.ExpectedMinions(Str(request, "tgt", "*"), Str(request, "tgt_type", "glob"));
                await Send(stream, new() { ["minions"] = minions.Cast<object?>().ToList() }, cancellationToken).ConfigureAwait(false);
                break;
            case "key":
                await Send(stream, new() { ["return"] = Key(request) }, cancellationToken).ConfigureAwait(false);
                break;
            case "runner":
                var outcome = await runners.RunAsync(
                    Str(request, "fun", ""), request.GetValueOrDefault("arg") as List<object?> ?? [],
                    request.GetValueOrDefault("kwarg") as Dictionary<string, object?> ?? new(StringComparer.Ordinal),
                    Str(request, "user", Environment.UserName), cancellationToken).ConfigureAwait(false);
                await Send(stream, new() { ["return"] = outcome.Return, ["jid"] = outcome.Jid, ["retcode"] = (long)outcome.Retcode, ["out"] = outcome.Outputter }, cancellationToken).ConfigureAwait(false);
                break;
            case "events":
                await StreamEventsAsync(stream, request, cancellationToken).ConfigureAwait(false);
                break;
            default:
                throw new ArgumentException($"unknown request '{op}'");
        }
    }

    /// <summary>Bytes of queued events written to a <c>state.event</c> stream at once.</summary>
    private const int StreamBatchBytes = 256 * 1024;

    private static string Str(Dictionary<string, object?> request, string key, string fallback) =>
        request.GetValueOrDefault(key) is { } value ? DataTree.KeyToString(value) : fallback;

    private object? Key(Dictionary<string, object?> request)
    {
        var match = Str(request, "match", "*");
        var flag = (string key) => request.GetValueOrDefault(key) is true;
        return Str(request, "action", "list") switch
        {
            "list" => keys.List(request.GetValueOrDefault("state") is string s ? Enum.Parse<KeyState>(s, ignoreCase: true) : null),
            "accept" => keys.Accept(match, flag("include_rejected"), flag("include_denied")).Cast<object?>().ToList(),
            "reject" => keys.Reject(match, flag("include_accepted")).Cast<object?>().ToList(),
            "delete" => keys.Delete(match).Cast<object?>().ToList(),
            "finger" => keys.Fingerprints(match),
            "matching" => keys.Matching(match, (request.GetValueOrDefault("states") as List<object?> ?? [])
                .Select(s => Enum.Parse<KeyState>(s?.ToString() ?? "", ignoreCase: true))).Cast<object?>().ToList(),
            var other => throw new ArgumentException($"unknown key action '{other}'"),
        };
    }

    private async Task PublishAsync(Stream stream, Dictionary<string, object?> request, CancellationToken cancellationToken)
    {
        var job = new JobPublish
        {
            Jid = jobs.NewJid(),
            Function = Str(request, "fun", ""),
            Args = request.GetValueOrDefault("arg") as List<object?> ?? [],
            Kwargs = request.GetValueOrDefault("kwarg") as Dictionary<string, object?> ?? new(StringComparer.Ordinal),
            Target = Str(request, "tgt", "*"),
            TargetType = Str(request, "tgt_type", "glob"),
            User = Str(request, "user", Environment.UserName),
            Timeout = (int)(request.GetValueOrDefault("timeout") as long? ?? options.Timeout),
        };
        if (string.IsNullOrWhiteSpace(job.Function))
        {
            throw new ArgumentException("no function given");
        }
        var expected = jobs.ExpectedMinions(job.Target, job.TargetType);
        await foreach (var progress in collector.PublishAsync(job, expected, cancellationToken).ConfigureAwait(false))
        {
            switch (progress.Kind)
            {
                case JobProgressKind.Started:
                    await Send(stream, new()
                    {
                        ["type"] = "start",
                        ["jid"] = job.Jid,
                        ["minions"] = expected.Cast<object?>().ToList(),
                        ["gather_job_timeout"] = (long)options.GatherJobTimeout.TotalSeconds,
                    }, cancellationToken).ConfigureAwait(false);
                    if (request.GetValueOrDefault("async") is true)
                    {
                        await Send(stream, new() { ["type"] = "end", ["missing"] = new List<object?>() }, cancellationToken).ConfigureAwait(false);
                        return;
                    }
                    break;
                case JobProgressKind.Returned:
                    await Send(stream, new()
                    {
                        ["type"] = "return",
                        ["id"] = progress.MinionId,
                        ["return"] = progress.Data.GetValueOrDefault("return"),
                        ["retcode"] = progress.Data.GetValueOrDefault("retcode"),
                        ["success"] = progress.Data.GetValueOrDefault("success"),
                        ["out"] = progress.Data.GetValueOrDefault("out"),
                    }, cancellationToken).ConfigureAwait(false);
                    break;
                case JobProgressKind.StillRunning:
                    await Send(stream, new() { ["type"] = "running", ["minions"] = progress.Minions.Cast<object?>().ToList() }, cancellationToken)
                        .ConfigureAwait(false);
                    break;
                default:
                    await Send(stream, new()
                    {
                        ["type"] = "end",
                        ["missing"] = progress.Missing.Cast<object?>().ToList(),
                        ["not_connected"] = progress.NotConnected.Cast<object?>().ToList(),
                    }, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
    }

    /// <summary>
    /// Streams bus events to the CLI: those whose tag starts with <c>tag</c> (a plain prefix) and, when given, matches
    /// <c>tagmatch</c> as Salt's <c>state.event</c> does (text, glob or regex). The stream ends when the client goes away.
    /// </summary>
    private async Task StreamEventsAsync(Stream stream, Dictionary<string, object?> request, CancellationToken cancellationToken)
    {
        var prefix = Str(request, "tag", "");
        var match = request.GetValueOrDefault("tagmatch") is string expression && expression is not ("" or "*")
            ? new Shared.Targeting.ExprMatch(expression)
            : null;
        using var subscription = events.Subscribe(tag => tag.StartsWith(prefix, StringComparison.Ordinal) && (match is null || match.IsMatch(tag)));
        // The subscription is live: tell the client, so what it fires next is not missed.
        await Send(stream, new() { ["type"] = "subscribed" }, cancellationToken).ConfigureAwait(false);
        // Each event is encoded once for all streams (MasterEvent.IpcFrame); what has queued up goes out in one write.
        var batch = new MemoryStream();
        var reported = 0L;
        while (await subscription.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            batch.SetLength(0);
            while (batch.Length < StreamBatchBytes && subscription.Reader.TryRead(out var e))
            {
                batch.Write(e.IpcFrame);
            }
            if (subscription.Dropped > reported)
            {
                // A reader a whole buffer behind loses the oldest events: say how many, never pretend the stream is whole.
                reported = subscription.Dropped;
                batch.Write(IpcFraming.Encode(new() { ["type"] = "dropped", ["count"] = reported }));
            }
            await stream.WriteAsync(batch.GetBuffer().AsMemory(0, (int)batch.Length), cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}

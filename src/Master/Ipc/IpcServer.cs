using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Orchestrator.Master.Events;
using Orchestrator.Master.Hosting;
using Orchestrator.Master.Jobs;
using Orchestrator.Master.Keys;
using Orchestrator.Master.Runners;
using Orchestrator.Shared.Data;
using Orchestrator.Shared.Ipc;
using Orchestrator.Shared.Protocol.Messages;

namespace Orchestrator.Master.Ipc;

/// <summary>
/// The CLI's way in: a unix socket (mode 0600, in a 0700 directory) that only the master's user can open; no network exposure.
/// </summary>
public sealed class IpcServer(
    MasterOptions options, JobDispatcher jobs, KeyManager keys, RunnerInvoker runners, EventBus events, MinionDirectory minions, TimeProvider time,
    ILogger<IpcServer> logger)
{
    private Socket? _listener;

    public void Start()
    {
        Directory.CreateDirectory(options.SockDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.SetUnixFileMode(options.SockDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (File.Exists(options.SocketPath))
        {
            File.Delete(options.SocketPath);
        }
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(options.SocketPath));
        File.SetUnixFileMode(options.SocketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
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
            try
            {
                await HandleAsync(stream, op, request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or Shared.Targeting.TargetException)
            {
                await Send(stream, new() { ["error"] = e.Message }, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException)
            {
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
                var outcome = runners.Run(
                    Str(request, "fun", ""), request.GetValueOrDefault("arg") as List<object?> ?? [],
                    request.GetValueOrDefault("kwarg") as Dictionary<string, object?> ?? new(StringComparer.Ordinal),
                    Str(request, "user", Environment.UserName));
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
        // Subscribe before publishing, so no return can slip past between the two.
        using var subscription = events.Subscribe(tag => tag.StartsWith(EventTag.JobReturnPrefix(job.Jid), StringComparison.Ordinal));
        jobs.Publish(job, expected);
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
        // Minions known to be down (stopped, or silent past presence_timeout) get the job too, but nobody waits for them.
        var now = time.GetUtcNow();
        var notConnected = expected.Where(id => !minions.IsUp(id, now, options.PresenceTimeout)).ToList();
        var pending = new HashSet<string>(expected.Except(notConnected), StringComparer.Ordinal);
        var returned = new HashSet<string>(StringComparer.Ordinal);
        var gaveUp = new List<string>();
        var wait = TimeSpan.FromSeconds(Math.Max(job.Timeout, 1));
        while (pending.Count > 0)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(wait);
            try
            {
                while (pending.Count > 0)
                {
                    var e = await subscription.Reader.ReadAsync(timeout.Token).ConfigureAwait(false);
                    var id = e.Data.GetValueOrDefault("id") as string ?? "";
                    // Each minion once; one thought down may still answer (it came back within the timeout).
                    if (!returned.Add(id) || (!pending.Remove(id) && !notConnected.Contains(id) && !gaveUp.Contains(id)))
                    {
                        continue;
                    }
                    gaveUp.Remove(id);
                    await Send(stream, new()
                    {
                        ["type"] = "return",
                        ["id"] = id,
                        ["return"] = e.Data.GetValueOrDefault("return"),
                        ["retcode"] = e.Data.GetValueOrDefault("retcode"),
                        ["success"] = e.Data.GetValueOrDefault("success"),
                        ["out"] = e.Data.GetValueOrDefault("out"),
                    }, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The timeout passed: as Salt does, ask those still pending whether the job still runs, and wait on for those
                // that say so; the silent ones did not return.
                var running = await FindRunningAsync(job, pending, cancellationToken).ConfigureAwait(false);
                gaveUp.AddRange(pending.Where(id => !running.Contains(id)));
                pending.IntersectWith(running);
                if (pending.Count > 0)
                {
                    await Send(stream, new()
                    {
                        ["type"] = "running",
                        ["minions"] = pending.Order(StringComparer.Ordinal).Cast<object?>().ToList(),
                    }, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        await Send(stream, new()
        {
            ["type"] = "end",
            ["missing"] = gaveUp.Order(StringComparer.Ordinal).Cast<object?>().ToList(),
            ["not_connected"] = notConnected.Where(id => !returned.Contains(id)).Order(StringComparer.Ordinal).Cast<object?>().ToList(),
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Publishes Salt's <c>saltutil.find_job</c> for <paramref name="job"/> to <paramref name="minions"/> and returns those
    /// that answer within <c>gather_job_timeout</c> that they still run it.
    /// </summary>
    private async Task<HashSet<string>> FindRunningAsync(JobPublish job, IReadOnlyCollection<string> minions, CancellationToken cancellationToken)
    {
        var running = new HashSet<string>(StringComparer.Ordinal);
        var find = new JobPublish
        {
            Jid = jobs.NewJid(),
            Function = "saltutil.find_job",
            Args = [job.Jid],
            Target = string.Join(",", minions),
            TargetType = "list",
            User = job.User,
            Timeout = (int)options.GatherJobTimeout.TotalSeconds,
        };
        using var answers = events.Subscribe(tag => tag.StartsWith(EventTag.JobReturnPrefix(find.Jid), StringComparison.Ordinal));
        jobs.Publish(find, [.. minions]);
        using var gather = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        gather.CancelAfter(options.GatherJobTimeout);
        var heard = 0;
        try
        {
            while (heard < minions.Count)
            {
                var answer = await answers.Reader.ReadAsync(gather.Token).ConfigureAwait(false);
                heard++;
                if (answer.Data.GetValueOrDefault("return") is Dictionary<string, object?> { Count: > 0 }
                    && answer.Data.GetValueOrDefault("id") is string id)
                {
                    running.Add(id);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // gather_job_timeout passed: the silent ones are not counted as running.
        }
        return running;
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

using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Orchestrator.Master.Events;
using Orchestrator.Master.ExternalAuth;
using Orchestrator.Master.Hosting;
using Orchestrator.Master.Jobs;
using Orchestrator.Master.Reactor;
using Orchestrator.Master.Runners;
using Orchestrator.Shared.Protocol.Messages;
using Orchestrator.Shared.Targeting;

namespace Orchestrator.Master.Api;

/// <summary>
/// Runs lowstate chunks as salt-api's NetapiClient does, on the master's own services: <c>local</c> (wait for the returns:
/// <c>{minion: return}</c>), <c>local_async</c> (<c>{jid, minions}</c>), <c>local_batch</c> (one <c>{minion: return}</c> per
/// return, at most <c>batch</c> minions at once), <c>runner</c> (the runner's return), <c>runner_async</c> (<c>{tag, jid}</c>),
/// <c>wheel</c> (<c>{tag, data}</c>) and <c>wheel_async</c>. Every chunk of a request is authenticated and checked against the
/// caller's ACL before any of them runs, whatever its client (CVE-2021-25281 was a client that skipped the check).
/// </summary>
public sealed class LowstateExecutor(
    MasterOptions options, JobDispatcher jobs, JobReturnCollector collector, RunnerInvoker runners, ReactorWheel wheel, ApiAuth auth,
    ApiLifetime lifetime, TimeProvider time, ILogger<LowstateExecutor> logger)
{
    public async Task<List<object?>> RunAsync(
        HttpContext context, IReadOnlyList<LowChunk> chunks, EauthToken? session, CancellationToken cancellationToken)
    {
        // All chunks are authorized first, so a refused chunk leaves nothing half-done.
        var plan = new List<(LowChunk Chunk, ApiCaller Caller, (string Target, string Type) To)>();
        foreach (var chunk in chunks)
        {
            var caller = await auth.CallerOfAsync(context, chunk, session, cancellationToken).ConfigureAwait(false);
            var decision = Targeted(() => auth.Authorize(caller, AclRequestOf(chunk)));
            plan.Add((chunk, caller, decision.TargetFor(chunk.Target, chunk.TargetType)));
        }
        var results = new List<object?>();
        foreach (var (chunk, caller, to) in plan)
        {
            ApiLog.Executing(logger, chunk.Client, chunk.Fun, chunk.IsLocal ? to.Target : "master", caller.User);
            switch (chunk.Client)
            {
                case "local":
                    results.Add(await LocalAsync(chunk, caller, to, cancellationToken).ConfigureAwait(false));
                    break;
                case "local_async":
                    results.Add(LocalAsync(chunk, caller, to));
                    break;
                case "local_batch":
                    results.AddRange(await BatchAsync(chunk, caller, to, cancellationToken).ConfigureAwait(false));
                    break;
                case "runner":
                    results.Add(await RunnerAsync(chunk, caller, cancellationToken).ConfigureAwait(false));
                    break;
                case "runner_async":
                    results.Add(RunnerAsync(chunk, caller));
                    break;
                case "wheel":
                    results.Add(Wheel(chunk, caller));
                    break;
                default:
                    // wheel_async: the key functions are quick, so the call is done by the time the jid is answered.
                    var done = Wheel(chunk, caller);
                    results.Add(new Dictionary<string, object?>(StringComparer.Ordinal) { ["tag"] = done["tag"], ["jid"] = ((Dictionary<string, object?>)done["data"]!)["jid"] });
                    break;
            }
        }
        return results;
    }

    /// <summary>What the ACL is asked about a chunk.</summary>
    public static AclRequest AclRequestOf(LowChunk chunk) => chunk.Client switch
    {
        "local" or "local_async" or "local_batch" => new AclRequest(AclClient.Local, chunk.Fun, chunk.Args, chunk.Kwargs, chunk.Target, chunk.TargetType),
        "runner" or "runner_async" => new AclRequest(AclClient.Runner, chunk.Fun, chunk.Args, chunk.Kwargs),
        _ => new AclRequest(AclClient.Wheel, chunk.Fun, chunk.Args, chunk.Kwargs),
    };

    /// <summary>The minions a chunk targets; a malformed target is a 400.</summary>
    public IReadOnlyList<string> Expected(string target, string targetType) => Targeted(() => jobs.ExpectedMinions(target, targetType));

    private static T Targeted<T>(Func<T> body)
    {
        try
        {
            return body();
        }
        catch (TargetException e)
        {
            throw ApiException.BadRequest(e.Message);
        }
    }

    private static void Targeted(Action body) => Targeted(() =>
    {
        body();
        return true;
    });

    private JobPublish JobOf(LowChunk chunk, ApiCaller caller, string target, string targetType) => new()
    {
        Jid = jobs.NewJid(),
        Function = chunk.Fun,
        Args = chunk.Args,
        Kwargs = chunk.Kwargs,
        Target = target,
        TargetType = targetType,
        User = caller.User,
        Timeout = chunk.Timeout ?? options.Timeout,
    };

    /// <summary>
    /// <c>local_async</c>: publishes and answers <c>{jid, minions}</c>; no match publishes nothing and answers <c>{}</c>, as
    /// Salt's LocalClient.run_job does.
    /// </summary>
    public Dictionary<string, object?> LocalAsync(LowChunk chunk, ApiCaller caller, (string Target, string Type) to)
    {
        var expected = Expected(to.Target, to.Type);
        if (expected.Count == 0)
        {
            return new Dictionary<string, object?>(StringComparer.Ordinal);
        }
        var job = JobOf(chunk, caller, to.Target, to.Type);
        jobs.Publish(job, expected);
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["jid"] = job.Jid,
            ["minions"] = expected.Cast<object?>().ToList(),
        };
    }

    private async Task<Dictionary<string, object?>> LocalAsync(
        LowChunk chunk, ApiCaller caller, (string Target, string Type) to, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        var expected = Expected(to.Target, to.Type);
        if (expected.Count == 0)
        {
            return result;
        }
        var job = JobOf(chunk, caller, to.Target, to.Type);
        await foreach (var progress in collector.PublishAsync(job, expected, cancellationToken).ConfigureAwait(false))
        {
            if (progress.Kind == JobProgressKind.Returned)
            {
                result[progress.MinionId] = Return(chunk, job.Jid, progress.Data);
            }
        }
        return result;
    }

    private static object? Return(LowChunk chunk, string jid, Dictionary<string, object?> data) => chunk.FullReturn
        ? new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["ret"] = data.GetValueOrDefault("return"),
            ["retcode"] = data.GetValueOrDefault("retcode") ?? 0L,
            ["jid"] = jid,
        }
        : data.GetValueOrDefault("return");

    /// <summary>
    /// <c>local_batch</c>: Salt's batch, a sliding window of at most <c>batch</c> minions (a number or a percentage of those
    /// matched), each wave its own job targeted by list; one <c>{minion: return}</c> per return, in the order they come.
    /// </summary>
    private async Task<List<object?>> BatchAsync(
        LowChunk chunk, ApiCaller caller, (string Target, string Type) to, CancellationToken cancellationToken)
    {
        var expected = Expected(to.Target, to.Type);
        var size = BatchSize(chunk.Batch ?? "10%", expected.Count);
        var queue = new Queue<string>(expected);
        var results = new List<object?>();
        var running = new List<Task<List<(string Id, object? Return)>>>();
        var inFlight = 0;
        var waves = new Dictionary<Task<List<(string Id, object? Return)>>, int>();
        while (queue.Count > 0 || running.Count > 0)
        {
            while (queue.Count > 0 && inFlight < size)
            {
                var wave = new List<string>();
                while (queue.Count > 0 && inFlight + wave.Count < size)
                {
                    wave.Add(queue.Dequeue());
                }
                inFlight += wave.Count;
                var task = WaveAsync(chunk, caller, wave, cancellationToken);
                running.Add(task);
                waves[task] = wave.Count;
            }
            var finished = await Task.WhenAny(running).ConfigureAwait(false);
            running.Remove(finished);
            inFlight -= waves[finished];
            foreach (var (id, value) in await finished.ConfigureAwait(false))
            {
                results.Add(new Dictionary<string, object?>(StringComparer.Ordinal) { [id] = value });
            }
        }
        return results;
    }

    private async Task<List<(string Id, object? Return)>> WaveAsync(LowChunk chunk, ApiCaller caller, List<string> wave, CancellationToken cancellationToken)
    {
        var returns = new List<(string, object?)>();
        var job = JobOf(chunk, caller, string.Join(",", wave), "list");
        await foreach (var progress in collector.PublishAsync(job, wave, cancellationToken).ConfigureAwait(false))
        {
            if (progress.Kind == JobProgressKind.Returned)
            {
                returns.Add((progress.MinionId, Return(chunk, job.Jid, progress.Data)));
            }
        }
        return returns;
    }

    /// <summary>Salt's batch size: N, or N% of the matched minions rounded up; at least one.</summary>
    public static int BatchSize(string batch, int total)
    {
        var text = batch.Trim();
        if (text.EndsWith('%') && double.TryParse(text[..^1], System.Globalization.CultureInfo.InvariantCulture, out var percent) && percent > 0)
        {
            return Math.Max(1, (int)Math.Ceiling(total * Math.Min(percent, 100) / 100));
        }
        return int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var size) && size > 0
            ? size
            : throw ApiException.BadRequest($"'batch' must be a positive number or percentage, not '{batch}'");
    }

    /// <summary>
    /// <c>runner</c>: the runner's return; a failing runner answers its error as the return, as Salt's RunnerClient does
    /// (the <c>salt/run/&lt;jid&gt;/ret</c> event says success false).
    /// </summary>
    private async Task<object?> RunnerAsync(LowChunk chunk, ApiCaller caller, CancellationToken cancellationToken)
    {
        try
        {
            var outcome = await runners.RunAsync(chunk.Fun, chunk.Args, chunk.Kwargs, caller.User, cancellationToken).ConfigureAwait(false);
            return outcome.Return;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or KeyNotFoundException or FormatException)
        {
            return $"Exception occurred in runner {chunk.Fun}: {e.Message}";
        }
    }

    /// <summary><c>runner_async</c>: answers <c>{tag, jid}</c> at once; the runner goes on in the background until it ends or the master stops.</summary>
    private Dictionary<string, object?> RunnerAsync(LowChunk chunk, ApiCaller caller)
    {
        var jid = jobs.NewJid();
        lifetime.Run(async stopping =>
        {
            try
            {
                await runners.RunAsync(jid, chunk.Fun, chunk.Args, chunk.Kwargs, caller.User, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // The master is stopping.
            }
            catch (Exception e)
            {
                // Already answered on the bus (salt/run/<jid>/ret, success false); the log keeps the stack.
                ApiLog.Failed(logger, e, "runner_async", chunk.Fun);
            }
        });
        return new Dictionary<string, object?>(StringComparer.Ordinal) { ["tag"] = $"{EventTag.Prefix}run/{jid}", ["jid"] = jid };
    }

    /// <summary><c>wheel</c>: Salt's master-side wheel answer, <c>{tag, data: {fun, jid, tag, user, return, success, _stamp}}</c>.</summary>
    private Dictionary<string, object?> Wheel(LowChunk chunk, ApiCaller caller)
    {
        var outcome = wheel.Call(chunk.Fun, chunk.Args, chunk.Kwargs, caller.User);
        var tag = $"{EventTag.Prefix}wheel/{outcome.Jid}";
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["tag"] = tag,
            ["data"] = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["fun"] = $"wheel.{chunk.Fun}",
                ["jid"] = outcome.Jid,
                ["tag"] = tag,
                ["user"] = caller.User,
                ["_stamp"] = EventBus.Stamp(time.GetUtcNow()),
                ["return"] = outcome.Return,
                ["success"] = outcome.Success,
            },
        };
    }
}

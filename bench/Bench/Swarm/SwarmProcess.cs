using System.Diagnostics;
using System.Text.Json;
using NetMQ;

namespace Orchestrator.Bench.Swarm;

/// <summary>
/// The <c>orch-bench swarm</c> child process: hosts a share of the simulated minions on a few loops and talks to the
/// controller over stdin/stdout (one line per message). Each minion costs about six file descriptors here (DEALER and
/// SUB connections, plus a loopback socket pair per NetMQ socket for its mailbox), which is why large swarms are split
/// over several processes.
/// </summary>
public static class SwarmProcess
{
    public static async Task<int> RunAsync(SwarmSettings settings, int ioThreads)
    {
        // NetMQ refuses the 1,025th socket of a context unless told otherwise; it must be set before the first socket.
        NetMQConfig.MaxSockets = settings.Count * 2 + settings.Loops * 4 + 64;
        NetMQConfig.ThreadPoolSize = Math.Max(1, ioThreads);
        var counters = new SwarmCounters();
        var loops = Enumerable.Range(0, settings.Loops)
            .Select(i => new SwarmLoop(i, settings, counters, Math.Max(1, settings.AuthConcurrency / settings.Loops)))
            .ToList();
        foreach (var loop in loops)
        {
            loop.Run();
        }
        var stdout = Console.Out;
        using var stop = new CancellationTokenSource();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!settings.WaitForStart)
        {
            start.SetResult();
        }
        var reader = Task.Run(async () =>
        {
            while (await Console.In.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                if (line == "stats")
                {
                    await WriteAsync(stdout, "stats " + JsonSerializer.Serialize(counters.Snapshot())).ConfigureAwait(false);
                }
                else if (line == "start")
                {
                    start.TrySetResult();
                }
                else if (line.StartsWith("fire ", StringComparison.Ordinal))
                {
                    _ = FireAsync(EventLoad.Parse(line), loops, counters, stdout);
                }
                else if (line == "stop")
                {
                    break;
                }
            }
            start.TrySetResult();
            await stop.CancelAsync().ConfigureAwait(false);
        });
        // Load every key first (on all cores, off the loop threads), then hand each minion to its loop.
        var loading = Stopwatch.StartNew();
        var keys = new System.Security.Cryptography.RSA[settings.Count];
        Parallel.For(0, settings.Count, i =>
        {
            var index = settings.First + i;
            keys[i] = KeyCache.Load(settings.KeyDirectory, settings.KeyPool > 0 ? index % settings.KeyPool : index);
        });
        await WriteAsync(stdout, $"loaded {loading.Elapsed.TotalSeconds.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)}").ConfigureAwait(false);
        await start.Task.ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < settings.Count; i++)
        {
            loops[i % loops.Count].Adopt(settings.First + i, keys[i]);
        }
        var announced = false;
        while (!stop.IsCancellationRequested)
        {
            var ready = Interlocked.Read(ref counters.Ready);
            if (!announced && ready >= settings.Count)
            {
                announced = true;
                await WriteAsync(stdout, $"ready {ready} {clock.Elapsed.TotalSeconds:F3}").ConfigureAwait(false);
            }
            else if (!announced)
            {
                await WriteAsync(stdout, $"progress {ready}").ConfigureAwait(false);
            }
            try
            {
                await Task.Delay(announced ? 1000 : 250, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        await reader.ConfigureAwait(false);
        // Tearing down thousands of NetMQ sockets is slow and measures nothing: the controller kills this process after "bye".
        await WriteAsync(stdout, "bye").ConfigureAwait(false);
        foreach (var loop in loops)
        {
            loop.Dispose();
        }
        return 0;
    }

    /// <summary>
    /// Has every authenticated minion fire the load, then reports <c>fired {json}</c>: the minions that fired, the time from
    /// the command to the last minion's last answer (ms, this process's clock) and the event counters.
    /// </summary>
    private static async Task FireAsync(EventLoad load, List<SwarmLoop> loops, SwarmCounters counters, TextWriter stdout)
    {
        Interlocked.Exchange(ref counters.EventMinionsDone, 0);
        Interlocked.Exchange(ref counters.EventsLastDoneMs, 0);
        var startMs = SwarmLoop.ClockMs;
        var started = (await Task.WhenAll(loops.Select(loop => loop.StartFiringAsync(load))).ConfigureAwait(false)).Sum();
        while (Interlocked.Read(ref counters.EventMinionsDone) < started)
        {
            await Task.Delay(20).ConfigureAwait(false);
        }
        var report = new Dictionary<string, long>(counters.Snapshot(), StringComparer.Ordinal)
        {
            ["minions"] = started,
            ["elapsed_ms"] = Math.Max(0, Interlocked.Read(ref counters.EventsLastDoneMs) - startMs),
        };
        await WriteAsync(stdout, "fired " + JsonSerializer.Serialize(report)).ConfigureAwait(false);
    }

    private static async Task WriteAsync(TextWriter writer, string line)
    {
        await writer.WriteLineAsync(line).ConfigureAwait(false);
        await writer.FlushAsync().ConfigureAwait(false);
    }
}
